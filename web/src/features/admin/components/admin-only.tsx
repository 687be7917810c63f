import { Button, Center, Loader, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type ReactNode, useEffect } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { meQuery } from "../../../lib/me";

/** Its children for an administrator; for anyone else a page that says so (never a crash, never a 403 toast). */
export function AdminOnly({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useQuery(meQuery);
  if (me.data === undefined) {
    return (
      <Center py="xl">
        <Loader role="status" aria-label={t.app.loading} />
      </Center>
    );
  }
  return me.data.role === "admin" ? children : <Forbidden />;
}

function Forbidden() {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t.admin.forbiddenTitle} · ${t.app.title}`;
  }, [t]);
  return (
    <Stack align="flex-start" gap="sm" py="xl">
      <Title order={1}>{t.admin.forbiddenTitle}</Title>
      <Text>{t.admin.forbiddenText}</Text>
      <Button component={Link} to="/recordings">
        {t.admin.back}
      </Button>
    </Stack>
  );
}

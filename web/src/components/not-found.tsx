import { Button, Stack, Text, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { useI18n } from "../i18n/i18n-provider";

/** The answer for unknown paths and for ids the API does not know for this user (404, never a crash). */
export function NotFound() {
  const { t } = useI18n();
  return (
    <Stack align="flex-start" gap="sm" py="xl">
      <Title order={1}>{t.notFound.title}</Title>
      <Text>{t.notFound.text}</Text>
      <Button component={Link} to="/recordings">
        {t.notFound.back}
      </Button>
    </Stack>
  );
}

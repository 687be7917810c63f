import { Stack, Text, Title } from "@mantine/core";
import { useEffect, type ReactNode } from "react";
import { useI18n } from "../i18n/i18n-provider";

/** The page's one h1, also the document title. */
export function PageTitle({ title, intro, actions }: { title: string; intro?: string; actions?: ReactNode }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t.app.title}`;
  }, [title, t.app.title]);
  return (
    <Stack gap={4} mb="md">
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: 12, flexWrap: "wrap" }}>
        <Title order={1} size="h2">
          {title}
        </Title>
        {actions}
      </div>
      {intro && <Text c="dimmed">{intro}</Text>}
    </Stack>
  );
}

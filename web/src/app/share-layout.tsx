import { Container, Group, Text } from "@mantine/core";
import { Outlet } from "@tanstack/react-router";
import { useI18n } from "../i18n/i18n-provider";
import { LanguageSelect } from "./language-select";

/** A share link's page: no account and no navigation, just the product's name and the language choice. */
export function ShareLayout() {
  const { t } = useI18n();
  return (
    <Container size="lg" py="lg" component="main" id="main">
      <Group justify="space-between" mb="lg">
        <Text fw={700}>{t.app.title}</Text>
        <LanguageSelect />
      </Group>
      <Outlet />
    </Container>
  );
}

import { Center, Container, Group, Paper, Title } from "@mantine/core";
import { Outlet } from "@tanstack/react-router";
import { useI18n } from "../i18n/i18n-provider";
import { LanguageSelect } from "./language-select";

/** Sign-in and sign-up: a centred card with the language choice. */
export function PublicLayout() {
  const { t } = useI18n();
  return (
    <Container size={460} py="xl" component="main" id="main">
      <Group justify="space-between" mb="lg">
        <Title order={2} size="h4">
          {t.app.title}
        </Title>
        <LanguageSelect />
      </Group>
      <Center>
        <Paper withBorder shadow="sm" p="lg" radius="md" w="100%">
          <Outlet />
        </Paper>
      </Center>
    </Container>
  );
}

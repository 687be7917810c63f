import { Stack, Text } from "@mantine/core";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useUserConfig } from "../api/config-queries";
import { notificationSection } from "../../../components/config/config-sections";
import { ConfigSectionForm } from "./config-section-form";

/** Which events e-mail the user (the config's `notifications.email`). */
export function NotificationPreferences() {
  const { t } = useI18n();
  const config = useUserConfig();
  return (
    <Stack gap="md">
      <Text c="dimmed" maw={640}>
        {t.settings.notifications.intro}
      </Text>
      <QueryState query={config}>{(data) => <ConfigSectionForm spec={notificationSection(t)} config={data.config_data} />}</QueryState>
    </Stack>
  );
}

import { Alert } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import { useCredentialsStatus } from "../api/connections-queries";

/** Platforms whose only credentials were rejected by the provider: connect them again. */
export function ReauthBanner() {
  const { t } = useI18n();
  const status = useCredentialsStatus();
  const platforms = status.data?.needs_reauth ?? [];
  if (platforms.length === 0) return null;
  return (
    <Alert color="orange" role="alert" title={t.connections.reauthTitle}>
      {t.connections.reauthText(platforms.map((p) => t.connections.platforms[p]).join(", "))}
    </Alert>
  );
}

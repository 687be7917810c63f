import "@mantine/dates/styles.css";
import { Stack } from "@mantine/core";
import { PageTitle } from "../../../components/page-title";
import { useI18n } from "../../../i18n/i18n-provider";
import { ConnectButtons } from "./connect-buttons";
import { CredentialsPanel } from "./credentials-panel";
import { OAuthResult } from "./oauth-result";
import { ReauthBanner } from "./reauth-banner";
import { SourcesPanel } from "./sources-panel";

/** Sources and credentials: OAuth connects, key-based credentials, Zoom sources with their webhook and sync. */
export function ConnectionsPage() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle title={t.connections.title} intro={t.connections.intro} />
      <Stack gap="lg">
        <OAuthResult />
        <ReauthBanner />
        <ConnectButtons />
        <CredentialsPanel />
        <SourcesPanel />
      </Stack>
    </>
  );
}

import { Alert } from "@mantine/core";
import { getRouteApi } from "@tanstack/react-router";
import { useI18n } from "../../../i18n/i18n-provider";

const route = getRouteApi("/app/connections");

/** The outcome of an OAuth connect, from the query the callback redirected here with. */
export function OAuthResult() {
  const { t } = useI18n();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  if (!search.oauth_success && !search.oauth_error) return null;
  const platform = search.platform ? t.connections.platforms[search.platform] : t.connections.provider;
  const dismiss = () => navigate({ search: {}, replace: true });
  if (search.oauth_success) {
    return (
      <Alert color="green" styles={{ title: { color: "var(--mantine-color-text)" } }} role="status" title={t.connections.oauthConnected(platform)} withCloseButton onClose={dismiss} closeButtonLabel={t.connections.dismiss}>
        {t.connections.oauthConnectedText}
      </Alert>
    );
  }
  const code = search.oauth_error ?? "";
  const reason = code in t.connections.oauthErrors ? t.connections.oauthErrors[code as keyof typeof t.connections.oauthErrors] : t.connections.oauthErrorOther(code);
  return (
    <Alert color="red" role="alert" title={t.connections.oauthFailed(platform)} withCloseButton onClose={dismiss} closeButtonLabel={t.connections.dismiss}>
      {reason}
    </Alert>
  );
}

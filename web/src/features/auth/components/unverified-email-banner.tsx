import { Alert, Stack, Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useI18n } from "../../../i18n/i18n-provider";
import { meQuery } from "../../../lib/me";
import { ResendVerification } from "./resend-verification";

/** Shown on every signed-in page until the account's address is confirmed. */
export function UnverifiedEmailBanner() {
  const { t } = useI18n();
  const me = useQuery(meQuery);
  if (!me.data || me.data.email_verified) return null;
  return (
    <Alert
      color="yellow"
      title={t.auth.unverifiedTitle}
      mb="md"
      role="region"
      aria-label={t.auth.unverifiedTitle}
      // Yellow text on the light yellow background stays under 4.5: the border carries the colour.
      styles={{ title: { color: "var(--mantine-color-text)" } }}
    >
      <Stack gap="sm">
        <Text size="sm">{t.auth.unverifiedBody(me.data.pending_email ?? me.data.email)}</Text>
        <ResendVerification label={t.auth.resend} variant="default" />
      </Stack>
    </Alert>
  );
}

import { Button, Stack, Text } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useResendVerification } from "../api/auth-mutations";
import { AuthError } from "./auth-error";

/** "Send the link again" (POST /auth/resend-verification) and what came of it. */
export function ResendVerification({ label, variant = "filled" }: { label: string; variant?: "filled" | "default" }) {
  const { t } = useI18n();
  const resend = useResendVerification();
  const alreadyVerified = resend.error instanceof ApiError && resend.error.status === 409;
  return (
    <Stack gap="xs" align="flex-start">
      {resend.isSuccess ? (
        <Text size="sm" role="status">
          {t.auth.resent(resend.data.email)}
        </Text>
      ) : (
        <Button variant={variant} size="sm" loading={resend.isPending} onClick={() => resend.mutate()}>
          {label}
        </Button>
      )}
      {alreadyVerified ? (
        <Text size="sm" role="status">
          {t.auth.alreadyVerified}
        </Text>
      ) : (
        <AuthError error={resend.error} />
      )}
    </Stack>
  );
}

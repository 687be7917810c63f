import { Alert } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";

/** The API's answer to a sign-in or sign-up, in the user's words. */
export function AuthError({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  let message = t.app.genericError;
  if (error instanceof ApiError) {
    if (error.status === 0) message = t.app.networkError;
    else if (error.status === 401) message = t.auth.invalidCredentials;
    else if (error.status === 409) message = t.auth.emailTaken;
    else if (error.status === 429) message = t.auth.tooManyAttempts(error.retryAfterSeconds ?? 60);
    else if (error.status < 500) message = error.message;
  }
  return (
    <Alert color="red" role="alert">
      {message}
    </Alert>
  );
}

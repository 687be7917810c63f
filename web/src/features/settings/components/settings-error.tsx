import { Alert } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";

/** A failed save in the user's words; nothing when the form already shows it beside its fields. */
export function SettingsError({ error, handled = false }: { error: unknown; handled?: boolean }) {
  const { t } = useI18n();
  if (!error || handled) return null;
  let message = t.app.genericError;
  if (error instanceof ApiError) {
    if (error.status === 0) message = t.app.networkError;
    else if (error.status === 429) message = t.settings.tooManyAttempts(error.retryAfterSeconds ?? 60);
    else if (error.status < 500) message = error.message;
  }
  return (
    <Alert color="red" role="alert">
      {message}
    </Alert>
  );
}

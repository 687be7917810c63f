import { Button, Card, Group, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError, fieldErrors } from "../../../lib/api-error";
import { meetsPasswordRules } from "../account-rules";
import { useChangePassword } from "../api/settings-queries";
import { SettingsError } from "./settings-error";

/** The current password, then the new one twice; every other session is signed out. */
export function PasswordForm() {
  const { t } = useI18n();
  const change = useChangePassword();
  const form = useForm({
    initialValues: { current: "", next: "", repeat: "" },
    validate: {
      current: (v) => (v ? null : t.settings.wrongPassword),
      next: (v) => (meetsPasswordRules(v) ? null : t.auth.passwordHint),
      repeat: (v, values) => (v === values.next ? null : t.settings.passwordsDiffer),
    },
  });
  const fields = fieldErrors(change.error);
  const wrongCurrent = change.error instanceof ApiError && change.error.status === 400 && !fields.new_password && !fields.current_password;

  const submit = form.onSubmit((values) =>
    change.mutate(
      { current_password: values.current, new_password: values.next },
      {
        onSuccess: () => form.reset(),
        onError: (error) => {
          const f = fieldErrors(error);
          if (f.new_password) form.setFieldError("next", f.new_password);
          else if (f.current_password) form.setFieldError("current", f.current_password);
          else if (error instanceof ApiError && error.status === 400) form.setFieldError("current", t.settings.wrongPassword);
        },
      },
    ),
  );

  return (
    <Card withBorder component="section" aria-labelledby="password-heading">
      <Title order={3} size="h4" mb="sm" id="password-heading">
        {t.settings.password}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={560}>
          <PasswordInput label={t.settings.currentPassword} autoComplete="current-password" required {...form.getInputProps("current")} />
          <PasswordInput label={t.settings.newPassword} description={t.auth.passwordHint} autoComplete="new-password" required {...form.getInputProps("next")} />
          <PasswordInput label={t.settings.repeatPassword} autoComplete="new-password" required {...form.getInputProps("repeat")} />
          <SettingsError error={change.error} handled={wrongCurrent || Object.keys(fields).length > 0} />
          {change.isSuccess && (
            <Text role="status" c="teal.9" size="sm">
              {t.settings.passwordChanged(change.data.revoked_sessions)}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t.settings.changePassword}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

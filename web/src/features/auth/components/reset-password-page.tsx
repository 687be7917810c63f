import { Alert, Anchor, Button, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError, fieldErrors } from "../../../lib/api-error";
import { useResetPassword } from "../api/auth-mutations";
import { emailLinkToken, meetsPasswordRules } from "../password-rules";
import { AuthError } from "./auth-error";

/** The page of the e-mailed reset link: a new password, then sign-in with it. */
export function ResetPasswordPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [token] = useState(() => emailLinkToken());
  const reset = useResetPassword();
  const form = useForm({
    initialValues: { password: "", repeat: "" },
    validate: {
      password: (v) => (meetsPasswordRules(v) ? null : t.auth.passwordHint),
      repeat: (v, values) => (v === values.password ? null : t.auth.passwordsDiffer),
    },
  });
  useEffect(() => {
    document.title = `${t.auth.resetTitle} · ${t.app.title}`;
  }, [t]);

  // A used, expired or unknown token answers 400 without field details.
  const linkDead = token === null || (reset.error instanceof ApiError && reset.error.status === 400 && !fieldErrors(reset.error).new_password);

  const submit = form.onSubmit((values) => {
    if (token === null) return;
    reset.mutate(
      { token, new_password: values.password },
      {
        onSuccess: () => void navigate({ to: "/sign-in", search: { reset: "done" } }),
        onError: (error) => {
          const fields = fieldErrors(error);
          if (fields.new_password) form.setErrors({ password: fields.new_password });
        },
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={1} size="h2">
          {t.auth.resetTitle}
        </Title>
        {linkDead ? (
          <>
            <Alert color="red" role="alert">
              {t.auth.linkInvalid}
            </Alert>
            <Button component={Link} to="/forgot-password">
              {t.auth.requestNewLink}
            </Button>
          </>
        ) : (
          <>
            <AuthError error={reset.error} />
            <PasswordInput
              label={t.auth.newPassword}
              description={t.auth.passwordHint}
              autoComplete="new-password"
              required
              {...form.getInputProps("password")}
            />
            <PasswordInput label={t.auth.repeatPassword} autoComplete="new-password" required {...form.getInputProps("repeat")} />
            <Button type="submit" loading={reset.isPending}>
              {t.auth.resetSubmit}
            </Button>
          </>
        )}
        <Text size="sm">
          <Anchor component={Link} to="/sign-in">
            {t.auth.backToSignIn}
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}

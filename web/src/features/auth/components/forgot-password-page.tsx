import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Link } from "@tanstack/react-router";
import { useEffect } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import { useForgotPassword } from "../api/auth-mutations";
import { looksLikeEmail } from "../password-rules";
import { AuthError } from "./auth-error";

/** Asks for a reset link; the answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useI18n();
  const forgot = useForgotPassword();
  const form = useForm({
    initialValues: { email: "" },
    validate: { email: (v) => (looksLikeEmail(v) ? null : t.auth.email) },
  });
  useEffect(() => {
    document.title = `${t.auth.forgotTitle} · ${t.app.title}`;
  }, [t]);

  const submit = form.onSubmit((values) => forgot.mutate(values.email.trim(), { onError: (error) => form.setErrors(fieldErrors(error)) }));

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={1} size="h2">
          {t.auth.forgotTitle}
        </Title>
        {forgot.isSuccess ? (
          <Alert color="green" role="status">
            {t.auth.forgotSent}
          </Alert>
        ) : (
          <>
            <Text size="sm">{t.auth.forgotIntro}</Text>
            <AuthError error={forgot.error} />
            <TextInput label={t.auth.email} type="email" autoComplete="email" required {...form.getInputProps("email")} />
            <Button type="submit" loading={forgot.isPending}>
              {t.auth.forgotSubmit}
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

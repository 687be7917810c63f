import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Link, useNavigate, useSearch } from "@tanstack/react-router";
import { useEffect } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import { useSignIn } from "../api/auth-mutations";
import { looksLikeEmail } from "../password-rules";
import { AuthError } from "./auth-error";

export function SignInPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { redirect, reset } = useSearch({ from: "/public/sign-in" });
  const signIn = useSignIn();
  const form = useForm({
    initialValues: { email: "", password: "" },
    validate: {
      email: (v) => (looksLikeEmail(v) ? null : t.auth.email),
      password: (v) => (v.length > 0 ? null : t.auth.password),
    },
  });
  useEffect(() => {
    document.title = `${t.auth.signInTitle} · ${t.app.title}`;
  }, [t]);

  const submit = form.onSubmit((values) =>
    signIn.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: () => void navigate({ to: redirect ?? "/recordings" }),
        onError: (error) => form.setErrors(fieldErrors(error)),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={1} size="h2">
          {t.auth.signInTitle}
        </Title>
        {reset === "done" && !signIn.error && (
          <Alert color="green" role="status">
            {t.auth.resetDone}
          </Alert>
        )}
        <AuthError error={signIn.error} />
        <TextInput label={t.auth.email} type="email" autoComplete="email" required {...form.getInputProps("email")} />
        <PasswordInput label={t.auth.password} autoComplete="current-password" required {...form.getInputProps("password")} />
        <Group justify="flex-end" mt={-8}>
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t.auth.forgotPasswordLink}
          </Anchor>
        </Group>
        <Button type="submit" loading={signIn.isPending}>
          {t.auth.signIn}
        </Button>
        <Text size="sm">
          {t.auth.noAccount}{" "}
          <Anchor component={Link} to="/sign-up">
            {t.auth.goSignUp}
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}

import { Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import { useSignUp } from "../api/auth-mutations";
import { looksLikeEmail, meetsPasswordRules } from "../password-rules";
import { AuthError } from "./auth-error";

export function SignUpPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const signUp = useSignUp();
  const form = useForm({
    initialValues: { email: "", password: "", full_name: "" },
    validate: {
      email: (v) => (looksLikeEmail(v) ? null : t.auth.email),
      password: (v) => (meetsPasswordRules(v) ? null : t.auth.passwordHint),
    },
  });
  useEffect(() => {
    document.title = `${t.auth.signUpTitle} · ${t.app.title}`;
  }, [t]);

  const submit = form.onSubmit((values) =>
    signUp.mutate(
      { email: values.email.trim(), password: values.password, ...(values.full_name.trim() ? { full_name: values.full_name.trim() } : {}) },
      {
        onSuccess: () => void navigate({ to: "/recordings" }),
        // The API's own field messages (e.g. a password rule) beside the field.
        onError: (error) => form.setErrors(fieldErrors(error)),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Title order={1} size="h2">
          {t.auth.signUpTitle}
        </Title>
        <AuthError error={signUp.error} />
        <TextInput label={t.auth.fullName} autoComplete="name" {...form.getInputProps("full_name")} />
        <TextInput label={t.auth.email} type="email" autoComplete="email" required {...form.getInputProps("email")} />
        <PasswordInput
          label={t.auth.password}
          description={t.auth.passwordHint}
          autoComplete="new-password"
          required
          {...form.getInputProps("password")}
        />
        <Button type="submit" loading={signUp.isPending}>
          {t.auth.signUp}
        </Button>
        <Text size="sm">
          {t.auth.haveAccount}{" "}
          <Anchor component={Link} to="/sign-in">
            {t.auth.goSignIn}
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}

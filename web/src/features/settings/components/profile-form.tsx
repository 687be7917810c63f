import { Alert, Button, Card, Group, PasswordInput, Select, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import type { components } from "../../../api/schema";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError, fieldErrors } from "../../../lib/api-error";
import { useUpdateProfile } from "../api/settings-queries";
import { looksLikeEmail } from "../account-rules";
import { SettingsError } from "./settings-error";

type User = components["schemas"]["User"];
type Locale = components["schemas"]["UserUpdate"]["locale"];

/** Name, e-mail (a change needs the current password and waits for its link) and the e-mails' language. */
export function ProfileForm({ user }: { user: User }) {
  const { t, dateTime } = useI18n();
  const update = useUpdateProfile();
  const form = useForm({
    initialValues: { full_name: user.full_name ?? "", email: user.pending_email ?? user.email, locale: user.locale as string, current_password: "" },
    validate: {
      full_name: (v) => (v.trim().length > 255 ? t.settings.nameTooLong : null),
      email: (v) => (looksLikeEmail(v) ? null : t.settings.invalidEmail),
    },
  });
  const emailChanges = form.values.email.trim() !== user.email && form.values.email.trim() !== user.pending_email;

  const submit = form.onSubmit((values) => {
    const email = values.email.trim();
    update.mutate(
      {
        full_name: values.full_name.trim() === "" ? null : values.full_name.trim(),
        locale: values.locale as Locale,
        ...(email !== user.email ? { email } : {}),
        ...(emailChanges ? { current_password: values.current_password } : {}),
      },
      {
        onSuccess: (next) => {
          const saved = { ...values, full_name: next.full_name ?? "", email: next.pending_email ?? next.email, locale: next.locale as string, current_password: "" };
          form.setValues(saved);
          form.resetDirty(saved);
        },
        onError: (error) => {
          const fields = fieldErrors(error);
          form.setErrors({ full_name: fields.full_name, email: fields.email, current_password: fields.current_password });
          if (error instanceof ApiError && error.status === 400 && !fields.current_password && emailChanges && /password/i.test(error.message)) {
            form.setFieldError("current_password", t.settings.wrongPassword);
          }
        },
      },
    );
  });

  return (
    <Card withBorder component="section" aria-labelledby="profile-heading">
      <Title order={3} size="h4" mb="sm" id="profile-heading">
        {t.settings.profile}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={560}>
          <TextInput label={t.settings.fullName} autoComplete="name" {...form.getInputProps("full_name")} />
          <TextInput label={t.settings.email} type="email" autoComplete="email" required {...form.getInputProps("email")} />
          {emailChanges && <PasswordInput label={t.settings.currentPasswordForEmail} autoComplete="current-password" required {...form.getInputProps("current_password")} />}
          <Select
            label={t.settings.emailLanguage}
            data={[
              { value: "en", label: "English" },
              { value: "ru", label: "Русский" },
            ]}
            allowDeselect={false}
            {...form.getInputProps("locale")}
          />
          {user.pending_email && (
            <Alert color="blue" role="status">
              {t.settings.pendingEmail(user.pending_email)}
            </Alert>
          )}
          <SettingsError error={update.error} handled={Object.keys(fieldErrors(update.error)).length > 0 || form.errors.current_password !== undefined} />
          {update.isSuccess && !form.isDirty() && (
            <Text role="status" c="teal.9" size="sm">
              {t.settings.profileSaved}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={update.isPending}>
              {t.settings.saveProfile}
            </Button>
          </Group>
        </Stack>
      </form>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="md">
        <Text size="sm">
          {t.settings.role}: <strong>{user.role}</strong>
        </Text>
        <Text size="sm">
          {t.settings.memberSince}: <strong>{dateTime(user.created_at)}</strong>
        </Text>
      </SimpleGrid>
    </Card>
  );
}

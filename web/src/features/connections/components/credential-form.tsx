import { Button, Group, PasswordInput, Select, Stack, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import { useCreateCredential } from "../api/credential-mutations";
import { FIELDS, invalidFields, KEY_PLATFORMS, payloadOf, type FieldName, type KeyPlatform } from "../credential-fields";

/** Adds a key-based credential (Zoom Server-to-Server, transcription and LLM API keys). */
export function CredentialForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const create = useCreateCredential();
  const [platform, setPlatform] = useState<KeyPlatform>("zoom");
  const [accountName, setAccountName] = useState("");
  const [values, setValues] = useState<Partial<Record<FieldName, string>>>({});
  const [checked, setChecked] = useState(false);
  const problems = checked ? invalidFields(platform, values) : [];
  const apiErrors = fieldErrors(create.error);

  const errorOf = (name: FieldName) => {
    const problem = problems.find((p) => p.name === name);
    if (problem) return problem.missing ? t.connections.required : t.connections.tooShort(problem.min);
    return apiErrors[name];
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (invalidFields(platform, values).length > 0) return;
    create.mutate(
      { platform, account_name: accountName.trim() || null, credentials: payloadOf(platform, values) },
      {
        onSuccess: () => {
          notifications.show({ closeButtonProps: { "aria-label": t.connections.dismiss }, color: "green", message: t.connections.credentialSaved });
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} aria-label={t.connections.addCredential} noValidate>
      <Stack gap="sm">
        <Select
          label={t.connections.platform}
          data={KEY_PLATFORMS.map((p) => ({ value: p, label: t.connections.keyPlatforms[p] }))}
          value={platform}
          onChange={(v) => {
            const next = KEY_PLATFORMS.find((p) => p === v);
            if (next) setPlatform(next);
          }}
          allowDeselect={false}
        />
        <TextInput label={t.connections.accountName} description={t.connections.accountNameHint} value={accountName} onChange={(e) => setAccountName(e.currentTarget.value)} />
        {FIELDS[platform].map((field) => {
          const props = {
            label: t.connections.fields[field.name],
            description: t.connections.fieldHints[field.name],
            required: field.required,
            value: values[field.name] ?? "",
            error: errorOf(field.name),
            autoComplete: "off",
            onChange: (e: { currentTarget: HTMLInputElement }) => {
              const value = e.currentTarget.value;
              setValues((v) => ({ ...v, [field.name]: value }));
            },
          };
          return field.secret ? <PasswordInput key={field.name} {...props} /> : <TextInput key={field.name} {...props} />;
        })}
        {create.error && Object.keys(apiErrors).length === 0 && <ErrorAlert error={create.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t.connections.cancel}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t.connections.saveCredential}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { Button, Checkbox, Group, Select, Stack, Textarea, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import { useCredentials, type Source } from "../api/connections-queries";
import { useCreateSource, useUpdateSource } from "../api/source-mutations";

const NAME_MIN = 3;

/** Creates a Zoom source, or edits one (name, description, credential, active). */
export function SourceForm({ source, onDone }: { source?: Source; onDone: () => void }) {
  const { t } = useI18n();
  const credentials = useCredentials();
  const create = useCreateSource();
  const update = useUpdateSource();
  const mutation = source ? update : create;
  const [name, setName] = useState(source?.name ?? "");
  const [description, setDescription] = useState(source?.description ?? "");
  const [credentialId, setCredentialId] = useState<string | null>(source?.credential_id ? String(source.credential_id) : null);
  const [active, setActive] = useState(source?.is_active ?? true);
  const [checked, setChecked] = useState(false);
  const apiErrors = fieldErrors(mutation.error);
  const nameError = checked && name.trim().length < NAME_MIN ? t.connections.tooShort(NAME_MIN) : apiErrors.name;
  const zoomCredentials = (credentials.data ?? []).filter((c) => c.platform === "zoom").map((c) => ({ value: String(c.id), label: `${c.account_name ?? t.connections.platforms.zoom} ${c.hint}` }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (name.trim().length < NAME_MIN) return;
    const fields = { name: name.trim(), description: description.trim() || null, credential_id: credentialId ? Number(credentialId) : null };
    if (source) update.mutate({ id: source.id, body: { ...fields, is_active: active } }, { onSuccess: onDone });
    else create.mutate({ ...fields, platform: "ZOOM" }, { onSuccess: onDone });
  };

  return (
    <form onSubmit={submit} aria-label={source ? t.connections.editSourceNamed(source.name) : t.connections.addSource} noValidate>
      <Stack gap="sm">
        <TextInput label={t.connections.sourceName} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} />
        <Textarea label={t.connections.description} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={1} error={apiErrors.description} />
        <Select
          label={t.connections.zoomCredential}
          description={zoomCredentials.length === 0 ? t.connections.noZoomCredential : t.connections.zoomCredentialHint}
          data={zoomCredentials}
          value={credentialId}
          onChange={setCredentialId}
          clearable
          error={apiErrors.credential_id}
        />
        {source && <Checkbox label={t.connections.sourceActive} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />}
        {mutation.error && Object.keys(apiErrors).length === 0 && <ErrorAlert error={mutation.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t.connections.cancel}
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {source ? t.connections.saveSource : t.connections.createSource}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

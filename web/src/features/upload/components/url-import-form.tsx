import { Anchor, Button, Card, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import { useImportUrl } from "../api/upload-queries";

/** A recording from the https address of its video: the server copies it into storage itself. */
export function UrlImportForm() {
  const { t } = useI18n();
  const u = t.upload.urlImport;
  const importUrl = useImportUrl();
  const [url, setUrl] = useState("");
  const [name, setName] = useState("");
  const [checked, setChecked] = useState(false);
  const apiErrors = fieldErrors(importUrl.error);
  const urlProblem = checked && !/^https:\/\/\S+$/i.test(url.trim()) ? u.urlInvalid : apiErrors.url;
  const nameProblem = checked && name.trim() === "" ? u.nameRequired : apiErrors.display_name;
  const otherError = importUrl.error && !apiErrors.url && !apiErrors.display_name ? importUrl.error : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!/^https:\/\/\S+$/i.test(url.trim()) || name.trim() === "") return;
    importUrl.mutate(
      { url: url.trim(), display_name: name.trim() },
      {
        onSuccess: () => {
          setUrl("");
          setName("");
          setChecked(false);
        },
      },
    );
  };

  return (
    <Card withBorder component="section" aria-labelledby="url-import-title">
      <form onSubmit={submit} noValidate aria-labelledby="url-import-title">
        <Stack gap="sm">
          <Title order={2} size="h3" id="url-import-title">
            {u.title}
          </Title>
          <Text size="sm">{u.intro}</Text>
          <TextInput label={u.url} placeholder="https://" value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={urlProblem} required type="url" />
          <TextInput label={u.name} value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameProblem} required maxLength={500} />
          {otherError && <ErrorAlert error={otherError} />}
          {importUrl.data && (
            <Text size="sm" role="status">
              {u.imported}{" "}
              <Anchor renderRoot={(props) => <Link {...props} to="/recordings/$recordingId" params={{ recordingId: String(importUrl.data.id) }} />}>
                {importUrl.data.display_name}
              </Anchor>
            </Text>
          )}
          <Group>
            <Button type="submit" loading={importUrl.isPending}>
              {u.submit}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

import { Button, Checkbox, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { api, unwrap } from "../../../lib/api-client";
import { fieldErrors } from "../../../lib/api-error";
import { recordingKeys } from "../api/recordings-queries";

/** A new template that matches recordings like this one (its name), with this recording's own settings as its configs. */
export function TemplateFromRecording({ recordingId, displayName }: { recordingId: number; displayName: string }) {
  const { t } = useI18n();
  const f = t.detail.fromRecording;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState(displayName.slice(0, 255));
  const [matchSource, setMatchSource] = useState(false);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/templates/from-recording/{recording_id}", { params: { path: { recording_id: recordingId } }, body: { name: name.trim(), match_source: matchSource } })),
    onSuccess: (template) => {
      void queryClient.invalidateQueries({ queryKey: recordingKeys.all });
      void navigate({ to: "/templates/$templateId", params: { templateId: String(template.id) } });
    },
  });
  const nameError = name.trim().length < 3 ? f.nameTooShort : fieldErrors(create.error).name;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim().length >= 3) create.mutate();
  };
  return (
    <>
      <Button size="xs" variant="default" onClick={() => setOpened(true)}>
        {f.open}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={f.title} closeButtonProps={{ "aria-label": f.cancel }} centered>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm">{f.intro}</Text>
            <TextInput label={f.name} value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} required maxLength={255} data-autofocus />
            <Checkbox label={f.matchSource} checked={matchSource} onChange={(e) => setMatchSource(e.currentTarget.checked)} />
            {create.error && !fieldErrors(create.error).name && <ErrorAlert error={create.error} />}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setOpened(false)}>
                {f.cancel}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {f.create}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

import { Alert, Button, Checkbox, Group, Modal, Stack, Text, Title } from "@mantine/core";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useDeleteTemplate, useRematchTemplate, useSetTemplateActive } from "../api/templates-mutations";
import type { Template } from "../form-model";
import { notify } from "./notify";
import { rematchText, type RematchSummary } from "./rematch-text";

/** Activate / deactivate, rematch (with what it changed), delete after confirming. */
interface Props {
  template: Template;
  /** The last rematch of this page (a save, an activation, the button), shown until closed. */
  result: RematchSummary | undefined;
  onResult: (result: RematchSummary | undefined) => void;
}

export function TemplateActions({ template, result, onResult }: Props) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const setActive = useSetTemplateActive(template.id);
  const rematch = useRematchTemplate(template.id);
  const remove = useDeleteTemplate(template.id);
  const [allRecordings, setAllRecordings] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const failed = (error: Error) => notify("red", error instanceof ApiError ? error.message : t.app.genericError, t.templates.close);
  const canMatch = template.is_active && !template.is_draft;

  const toggle = () =>
    setActive.mutate(!template.is_active, {
      onSuccess: (saved) => {
        notify("green", saved.is_active ? t.templates.activated : t.templates.deactivated, t.templates.close);
        onResult(saved.is_active ? saved.rematch : undefined);
      },
      onError: failed,
    });
  const runRematch = () => rematch.mutate(!allRecordings, { onSuccess: (answer) => onResult(answer.rematch), onError: failed });
  const confirmDelete = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        notify("green", t.templates.deleted, t.templates.close);
        void navigate({ to: "/templates" });
      },
      onError: failed,
    });

  return (
    <Stack gap="sm" component="section" aria-labelledby="template-actions-title">
      <Title order={2} size="h4" id="template-actions-title">
        {t.templates.actions}
      </Title>
      <Text size="sm" c="dimmed">
        {template.is_draft ? t.templates.draftCannotMatch : t.templates.actionsIntro}
      </Text>
      <Group gap="sm" align="center">
        <Button variant={template.is_active ? "default" : "filled"} onClick={toggle} loading={setActive.isPending}>
          {template.is_active ? t.templates.deactivate : t.templates.activate}
        </Button>
        <Button variant="default" onClick={runRematch} loading={rematch.isPending} disabled={!canMatch}>
          {t.templates.rematch}
        </Button>
        <Checkbox label={t.templates.rematchAll} checked={allRecordings} onChange={(e) => setAllRecordings(e.currentTarget.checked)} disabled={!canMatch} />
        <Button variant="light" color="red" ml="auto" onClick={() => setConfirming(true)}>
          {t.templates.delete}
        </Button>
      </Group>
      {result !== undefined && (
        <Alert color="blue" title={t.templates.rematchDone} withCloseButton closeButtonLabel={t.templates.close} onClose={() => onResult(undefined)}>
          {rematchText(result, t)}
        </Alert>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t.templates.deleteTitle} centered closeButtonProps={{ "aria-label": t.templates.close }}>
        <Stack>
          <Text size="sm">{t.templates.deleteText(template.name)}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t.templates.keep}
            </Button>
            <Button color="red.9" loading={remove.isPending} onClick={confirmDelete}>
              {t.templates.confirmDelete}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

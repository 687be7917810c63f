import { Button, Group, Modal, Stack } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import { useUpdateWebhookEndpoint, type WebhookEndpoint } from "../api/webhook-queries";
import { SettingsError } from "./settings-error";
import { endpointBody, endpointFieldErrors, useWebhookEndpointForm, WebhookEndpointFields } from "./webhook-endpoint-fields";

/** Edits an endpoint's URL, description and events in a dialog; the form starts from the saved values each time it opens. */
export function WebhookEditModal({ endpoint, opened, onClose, onSaved }: { endpoint: WebhookEndpoint; opened: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const w = t.settings.webhooks;
  return (
    <Modal opened={opened} onClose={onClose} title={w.editTitle} size="lg" closeButtonProps={{ "aria-label": w.cancel }}>
      <EditForm endpoint={endpoint} onCancel={onClose} onSaved={onSaved} />
    </Modal>
  );
}

function EditForm({ endpoint, onCancel, onSaved }: { endpoint: WebhookEndpoint; onCancel: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const w = t.settings.webhooks;
  const update = useUpdateWebhookEndpoint();
  const form = useWebhookEndpointForm({ url: endpoint.url, description: endpoint.description ?? "", events: endpoint.events });

  const submit = form.onSubmit((values) =>
    update.mutate({ id: endpoint.id, body: endpointBody(values) }, { onSuccess: onSaved, onError: (error) => form.setErrors(endpointFieldErrors(error)) }),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <WebhookEndpointFields form={form} />
        <SettingsError error={update.error} handled={Object.keys(endpointFieldErrors(update.error)).length > 0} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {w.cancel}
          </Button>
          <Button type="submit" loading={update.isPending}>
            {w.save}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

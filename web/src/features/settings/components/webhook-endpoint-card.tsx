import { Badge, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { ConfirmButton } from "../../../components/confirm-button";
import { useI18n } from "../../../i18n/i18n-provider";
import { useDeleteWebhookEndpoint, useRotateWebhookSecret, useSendTestEvent, useUpdateWebhookEndpoint, type WebhookEndpoint } from "../api/webhook-queries";
import { SettingsError } from "./settings-error";
import { WebhookDeliveries } from "./webhook-deliveries";
import { WebhookEditModal } from "./webhook-edit-modal";

/** One endpoint: its state, its actions (test, edit, turn off/on, rotate the secret, delete) and its delivery log. */
export function WebhookEndpointCard({ endpoint, onSecret }: { endpoint: WebhookEndpoint; onSecret: (secret: string, url: string) => void }) {
  const { t, dateTime } = useI18n();
  const w = t.settings.webhooks;
  const test = useSendTestEvent();
  const toggle = useUpdateWebhookEndpoint();
  const rotate = useRotateWebhookSecret();
  const remove = useDeleteWebhookEndpoint();
  const headingId = `endpoint-${endpoint.id}`;
  const error = test.error ?? toggle.error ?? rotate.error ?? remove.error;
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);

  return (
    <Card withBorder component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Title order={3} size="h5" id={headingId} style={{ wordBreak: "break-all" }}>
              {endpoint.url}
            </Title>
            {endpoint.description && (
              <Text size="sm" c="dimmed">
                {endpoint.description}
              </Text>
            )}
          </Stack>
          <Badge color={endpoint.enabled ? "teal.9" : "gray.7"} variant="outline">
            {endpoint.enabled ? w.enabled : w.disabled}
          </Badge>
        </Group>
        <Group gap={6}>
          {endpoint.events.map((event) => (
            <Badge key={event} variant="outline" color="indigo.9" tt="none">
              {w.eventNames[event]}
            </Badge>
          ))}
        </Group>
        {endpoint.disabled_reason && (
          <Text size="sm" c="red.9">
            {w.disabledBecause(endpoint.disabled_reason)}
          </Text>
        )}
        {endpoint.consecutive_failures > 0 && (
          <Text size="sm" c="red.9">
            {w.failing(endpoint.consecutive_failures)}
          </Text>
        )}
        {endpoint.last_success_at && (
          <Text size="sm" c="dimmed">
            {w.lastSuccess}: {dateTime(endpoint.last_success_at)}
          </Text>
        )}
        <Group gap="xs">
          <Button size="xs" onClick={() => test.mutate(endpoint.id)} loading={test.isPending} disabled={!endpoint.enabled}>
            {w.sendTest}
          </Button>
          <Button size="xs" variant="default" onClick={() => {
              setSaved(false);
              setEditing(true);
            }}>
            {w.edit}
          </Button>
          <Button size="xs" variant="default" loading={toggle.isPending} onClick={() => toggle.mutate({ id: endpoint.id, body: { enabled: !endpoint.enabled } })}>
            {endpoint.enabled ? w.disable : w.enable}
          </Button>
          <ConfirmButton
            size="xs"
            variant="default"
            label={w.rotate}
            title={w.rotateConfirmTitle}
            text={w.rotateConfirmText}
            confirmLabel={w.rotate}
            cancelLabel={w.cancel}
            pending={rotate.isPending}
            onConfirm={(done) =>
              rotate.mutate(endpoint.id, {
                onSuccess: (answer) => {
                  done();
                  onSecret(answer.secret, endpoint.url);
                },
              })
            }
          />
          <ConfirmButton
            size="xs"
            variant="outline"
            label={w.remove}
            title={w.removeConfirmTitle}
            text={w.removeConfirmText}
            confirmLabel={w.remove}
            cancelLabel={w.cancel}
            pending={remove.isPending}
            onConfirm={(done) => remove.mutate(endpoint.id, { onSuccess: done })}
          />
        </Group>
        {saved && (
          <Text role="status" size="sm" c="teal.9">
            {w.saved}
          </Text>
        )}
        {test.isSuccess && (
          <Text role="status" size="sm" c="teal.9">
            {w.testSent}
          </Text>
        )}
        <SettingsError error={error} />
        <WebhookDeliveries endpointId={endpoint.id} headingId={`${headingId}-deliveries`} />
      </Stack>
      <WebhookEditModal
        endpoint={endpoint}
        opened={editing}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          setSaved(true);
        }}
      />
    </Card>
  );
}

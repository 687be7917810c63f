import { Button, Card, Group, Stack, Title } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import { useCreateWebhookEndpoint } from "../api/webhook-queries";
import { SettingsError } from "./settings-error";
import { endpointBody, endpointFieldErrors, useWebhookEndpointForm, WebhookEndpointFields } from "./webhook-endpoint-fields";

/** A new endpoint: its https URL and the events it gets; the answer's secret goes to `onCreated`, shown once. */
export function WebhookCreateForm({ onCreated }: { onCreated: (secret: string, url: string) => void }) {
  const { t } = useI18n();
  const w = t.settings.webhooks;
  const create = useCreateWebhookEndpoint();
  const form = useWebhookEndpointForm({ url: "", description: "", events: ["recording.ready", "run.completed"] });

  const submit = form.onSubmit((values) =>
    create.mutate(endpointBody(values), {
      onSuccess: (endpoint) => {
        form.reset();
        onCreated(endpoint.secret, endpoint.url);
      },
      onError: (error) => form.setErrors(endpointFieldErrors(error)),
    }),
  );

  return (
    <Card withBorder component="section" aria-labelledby="webhook-add-heading">
      <Title order={3} size="h4" mb="sm" id="webhook-add-heading">
        {w.add}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={640}>
          <WebhookEndpointFields form={form} />
          <SettingsError error={create.error} handled={Object.keys(endpointFieldErrors(create.error)).length > 0} />
          <Group>
            <Button type="submit" loading={create.isPending}>
              {w.create}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

import { Button, Card, Checkbox, Group, SimpleGrid, Stack, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import { useCreateWebhookEndpoint, type WebhookEvent } from "../api/webhook-queries";
import { SettingsError } from "./settings-error";

export const WEBHOOK_EVENTS = [
  "recording.ready",
  "recording.failed",
  "run.completed",
  "output.published",
  "credential.needs_reauth",
  "quota.exceeded",
] as const satisfies readonly WebhookEvent[];

/** A new endpoint: its https URL and the events it gets; the answer's secret goes to `onCreated`, shown once. */
export function WebhookCreateForm({ onCreated }: { onCreated: (secret: string, url: string) => void }) {
  const { t } = useI18n();
  const w = t.settings.webhooks;
  const create = useCreateWebhookEndpoint();
  const form = useForm<{ url: string; description: string; events: WebhookEvent[] }>({
    initialValues: { url: "", description: "", events: ["recording.ready", "run.completed"] },
    validate: {
      url: (v) => (/^https:\/\/[^\s/]+\.[^\s/]+/.test(v.trim()) && v.trim().length <= 2048 ? null : w.urlHint),
      description: (v) => (v.length > 500 ? t.settings.config.textLength(0, 500) : null),
      events: (v) => (v.length > 0 ? null : w.eventsRequired),
    },
  });
  const fields = fieldErrors(create.error);

  const submit = form.onSubmit((values) =>
    create.mutate(
      { url: values.url.trim(), events: values.events, description: values.description.trim() || null },
      {
        onSuccess: (endpoint) => {
          form.reset();
          onCreated(endpoint.secret, endpoint.url);
        },
        onError: (error) => {
          const f = fieldErrors(error);
          form.setErrors({ url: f.url, events: f.events, description: f.description });
        },
      },
    ),
  );

  return (
    <Card withBorder component="section" aria-labelledby="webhook-add-heading">
      <Title order={3} size="h4" mb="sm" id="webhook-add-heading">
        {w.add}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={640}>
          <TextInput label={w.url} description={w.urlHint} placeholder="https://" type="url" required {...form.getInputProps("url")} />
          <TextInput label={w.description} maxLength={500} {...form.getInputProps("description")} />
          <Checkbox.Group label={w.events} required {...form.getInputProps("events")}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt={4}>
              {WEBHOOK_EVENTS.map((event) => (
                <Checkbox key={event} value={event} label={w.eventNames[event]} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <SettingsError error={create.error} handled={Boolean(fields.url || fields.events || fields.description)} />
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

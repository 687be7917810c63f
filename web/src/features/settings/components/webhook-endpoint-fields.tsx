import { Checkbox, SimpleGrid, TextInput } from "@mantine/core";
import { useForm, type UseFormReturnType } from "@mantine/form";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import type { WebhookEvent } from "../api/webhook-queries";

export const WEBHOOK_EVENTS = [
  "recording.ready",
  "recording.failed",
  "run.completed",
  "output.published",
  "credential.needs_reauth",
  "quota.exceeded",
] as const satisfies readonly WebhookEvent[];

export interface WebhookEndpointValues {
  url: string;
  description: string;
  events: WebhookEvent[];
}

type WebhookForm = UseFormReturnType<WebhookEndpointValues>;

/** The form of an endpoint's URL, description and events, checked by the API's rules before sending. */
export function useWebhookEndpointForm(initialValues: WebhookEndpointValues): WebhookForm {
  const { t } = useI18n();
  const w = t.settings.webhooks;
  return useForm<WebhookEndpointValues>({
    initialValues,
    validate: {
      url: (v) => (/^https:\/\/[^\s/]+\.[^\s/]+/.test(v.trim()) && v.trim().length <= 2048 ? null : w.urlHint),
      description: (v) => (v.length > 500 ? t.settings.config.textLength(0, 500) : null),
      events: (v) => (v.length > 0 ? null : w.eventsRequired),
    },
  });
}

/** What the API takes for these values (create and update alike). */
export const endpointBody = (values: WebhookEndpointValues) => ({ url: values.url.trim(), events: values.events, description: values.description.trim() || null });

/** The API's refusals of these fields (a zod issue, or the outbound policy refusing the URL), to show beside them. */
export function endpointFieldErrors(error: unknown): Partial<Record<keyof WebhookEndpointValues, string>> {
  const f = fieldErrors(error);
  return Object.fromEntries((["url", "events", "description"] as const).filter((k) => f[k] !== undefined).map((k) => [k, f[k]]));
}

/** The URL, description and event checkboxes: one set of fields for adding and editing an endpoint. */
export function WebhookEndpointFields({ form }: { form: WebhookForm }) {
  const { t } = useI18n();
  const w = t.settings.webhooks;
  return (
    <>
      <TextInput label={w.url} description={w.urlHint} placeholder="https://" type="url" required {...form.getInputProps("url")} />
      <TextInput label={w.description} maxLength={500} {...form.getInputProps("description")} />
      <Checkbox.Group label={w.events} required {...form.getInputProps("events")}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt={4}>
          {WEBHOOK_EVENTS.map((event) => (
            <Checkbox key={event} value={event} label={w.eventNames[event]} />
          ))}
        </SimpleGrid>
      </Checkbox.Group>
    </>
  );
}

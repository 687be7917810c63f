import { z } from "@hono/zod-openapi";
import type { WebhookDeliveryRow } from "../../db/repositories/webhook-deliveries.repository";
import type { WebhookEndpointRow } from "../../db/repositories/webhook-endpoints.repository";
import { DELIVERY_STATUSES, WEBHOOK_EVENT_TYPES } from "../../db/schema";
import { ULID_PATTERN } from "../../lib/ids";

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const EndpointIdParam = z.object({
  id: z
    .string()
    .regex(new RegExp(`^ep_${ULID_PATTERN.source.slice(1, -1)}$`), "not a webhook endpoint id")
    .openapi({ param: { name: "id", in: "path" }, example: "ep_01JD0Z5N6W4X8T7C2V1B9QK3HA" }),
});

export const DeliveryParams = EndpointIdParam.extend({
  delivery_id: z.string().regex(ULID_PATTERN, "not a delivery id").openapi({ param: { name: "delivery_id", in: "path" } }),
});

const url = z.string().trim().min(1).max(2048).openapi({ description: "https URL of a public host (the outbound policy applies at save and at every delivery)" });
const events = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length * 2);
const description = z.string().trim().max(500).nullable();
const secret = z
  .string()
  .max(200)
  .openapi({ description: "`whsec_` + base64 of 24–64 random bytes; generated when omitted", example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" });

export const EndpointCreateSchema = z
  .object({ url, events, secret: secret.optional(), description: description.optional() })
  .strict()
  .openapi("WebhookEndpointCreate");

export const EndpointUpdateSchema = z
  .object({ url: url.optional(), events: events.optional(), description: description.optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, "at least one field is required")
  .openapi("WebhookEndpointUpdate");

export const RotateSecretSchema = z.object({ secret: secret.optional() }).strict().openapi("WebhookSecretRotate");

export const EndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable(),
    disabled_at: z.string().nullable(),
    consecutive_failures: z.number().int(),
    failing_since: z.string().nullable(),
    last_success_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WebhookEndpoint");

export const EndpointWithSecretSchema = EndpointSchema.extend({
  secret: z.string().openapi({ description: "The signing secret: shown only here, once" }),
}).openapi("WebhookEndpointWithSecret");

export const DeliverySchema = z
  .object({
    id: z.string(),
    endpoint_id: z.string(),
    message_id: z.string().openapi({ description: "The `webhook-id` header (a redelivery keeps it)" }),
    event_type: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    manual: z.boolean().openapi({ description: "A test event or redelivery: one attempt, no automatic retries" }),
    attempts: z.number().int(),
    response_status: z.number().int().nullable(),
    response_body: z.string().nullable().openapi({ description: "The first 1 KiB of the last answer" }),
    duration_ms: z.number().int().nullable(),
    error: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    last_attempt_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WebhookDelivery");

export const DeliveriesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.string().regex(ULID_PATTERN, "not a delivery id").optional().openapi({ description: "The last id of the previous page" }),
});

export function toEndpointResponse(e: WebhookEndpointRow): z.infer<typeof EndpointSchema> {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    enabled: e.enabled,
    disabled_reason: e.disabledReason,
    disabled_at: iso(e.disabledAt),
    consecutive_failures: e.consecutiveFailures,
    failing_since: iso(e.failingSince),
    last_success_at: iso(e.lastSuccessAt),
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

export function toDeliveryResponse(d: WebhookDeliveryRow): z.infer<typeof DeliverySchema> {
  return {
    id: d.id,
    endpoint_id: d.endpointId,
    message_id: d.messageId,
    event_type: d.eventType,
    status: d.status,
    manual: d.manual,
    attempts: d.attempts,
    response_status: d.responseStatus,
    response_body: d.responseBody,
    duration_ms: d.durationMs,
    error: d.error,
    next_attempt_at: d.status === "PENDING" ? iso(d.nextAttemptAt) : null,
    last_attempt_at: iso(d.lastAttemptAt),
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

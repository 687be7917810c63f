import { WebhookDeliveriesRepository, type WebhookDeliveryRow } from "../../db/repositories/webhook-deliveries.repository";
import { WebhookEndpointsRepository, type WebhookEndpointPatch, type WebhookEndpointRow } from "../../db/repositories/webhook-endpoints.repository";
import { WEBHOOK_TEST_EVENT, type WebhookEventType } from "../../db/schema";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { badRequest, conflict, notFound } from "../../lib/errors";
import { ulid } from "../../lib/ids";
import { assertAllowedUrl, OutboundUrlRefused, outboundPolicyFrom } from "../../lib/outbound-policy";
import { secretBox } from "../../lib/secret-box";
import { generateWebhookSecret, secretBytes } from "../../lib/webhook-signature";
import type { ServiceContext } from "../context";
import { eventPayload, newMessageId } from "./events.service";

export interface EndpointInput {
  url: string;
  events: WebhookEventType[];
  secret?: string;
  description?: string | null;
}

/** The URL must pass the outbound policy now (and passes it again at every delivery). */
function checkUrl(ctx: ServiceContext, url: string): string {
  try {
    return assertAllowedUrl(url, outboundPolicyFrom(ctx.config)).href;
  } catch (error) {
    if (error instanceof OutboundUrlRefused) throw badRequest(error.message, { field: "url", rule: error.rule });
    throw error;
  }
}

function checkSecret(secret: string | undefined): string {
  if (secret === undefined) return generateWebhookSecret();
  if (!secretBytes(secret)) throw badRequest("secret must be whsec_ followed by base64 of 24 to 64 bytes", { field: "secret" });
  return secret;
}

const repos = (ctx: ServiceContext, userId: string) => ({
  endpoints: new WebhookEndpointsRepository(ctx.db, userId),
  deliveries: new WebhookDeliveriesRepository(ctx.db, userId),
});

async function seal(ctx: ServiceContext, secret: string): Promise<string> {
  return (await secretBox(ctx.config.ENCRYPTION_KEYS)).seal(secret);
}

export async function createEndpoint(ctx: ServiceContext, userId: string, input: EndpointInput): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const { endpoints } = repos(ctx, userId);
  const url = checkUrl(ctx, input.url);
  const secret = checkSecret(input.secret);
  if ((await endpoints.count()) >= ctx.config.WEBHOOK_MAX_ENDPOINTS_PER_USER) {
    throw conflict(`At most ${ctx.config.WEBHOOK_MAX_ENDPOINTS_PER_USER} webhook endpoints per user`);
  }
  const now = ctx.clock.now();
  const endpoint = await endpoints.insert({
    id: `ep_${ulid(now.getTime())}`,
    url,
    description: input.description ?? null,
    events: [...new Set(input.events)],
    secretSealed: await seal(ctx, secret),
    createdAt: now,
    updatedAt: now,
  });
  return { endpoint, secret };
}

export async function listEndpoints(ctx: ServiceContext, userId: string): Promise<WebhookEndpointRow[]> {
  return repos(ctx, userId).endpoints.list();
}

export async function getEndpoint(ctx: ServiceContext, userId: string, id: string): Promise<WebhookEndpointRow> {
  const endpoint = await repos(ctx, userId).endpoints.get(id);
  if (!endpoint) throw notFound("Webhook endpoint");
  return endpoint;
}

/** Changes the URL, events or description; `enabled: true` re-enables a disabled endpoint with a clean slate. */
export async function updateEndpoint(
  ctx: ServiceContext,
  userId: string,
  id: string,
  input: Partial<Omit<EndpointInput, "secret">> & { enabled?: boolean },
): Promise<WebhookEndpointRow> {
  await getEndpoint(ctx, userId, id);
  const now = ctx.clock.now();
  const patch: WebhookEndpointPatch = { updatedAt: now };
  if (input.url !== undefined) patch.url = checkUrl(ctx, input.url);
  if (input.events !== undefined) patch.events = [...new Set(input.events)];
  if (input.description !== undefined) patch.description = input.description;
  if (input.enabled === true) Object.assign(patch, { enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0, failingSince: null });
  if (input.enabled === false) Object.assign(patch, { enabled: false, disabledReason: "Disabled by the user", disabledAt: now });
  const updated = await repos(ctx, userId).endpoints.update(id, patch);
  if (!updated) throw notFound("Webhook endpoint");
  return updated;
}

export async function deleteEndpoint(ctx: ServiceContext, userId: string, id: string): Promise<void> {
  if (!(await repos(ctx, userId).endpoints.delete(id))) throw notFound("Webhook endpoint");
}

/** A new signing secret (given, or generated), shown once; the old one stops signing at once. */
export async function rotateSecret(ctx: ServiceContext, userId: string, id: string, secret?: string): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  await getEndpoint(ctx, userId, id);
  const next = checkSecret(secret);
  const endpoint = await repos(ctx, userId).endpoints.update(id, { secretSealed: await seal(ctx, next), updatedAt: ctx.clock.now() });
  if (!endpoint) throw notFound("Webhook endpoint");
  return { endpoint, secret: next };
}

export async function listDeliveries(ctx: ServiceContext, userId: string, endpointId: string, limit: number, before?: string): Promise<WebhookDeliveryRow[]> {
  await getEndpoint(ctx, userId, endpointId);
  return repos(ctx, userId).deliveries.listForEndpoint(endpointId, limit, before);
}

/** A one-attempt delivery the user asked for (test event, redelivery): sent even to a disabled endpoint. */
async function queueManualDelivery(
  ctx: ServiceContext,
  userId: string,
  endpointId: string,
  message: { messageId: string; eventType: string; payload: string },
): Promise<WebhookDeliveryRow> {
  const now = ctx.clock.now();
  const { deliveries } = repos(ctx, userId);
  const id = ulid(now.getTime());
  await deliveries.insertMany([{ id, endpointId, ...message, status: "PENDING", manual: true, nextAttemptAt: now, createdAt: now, updatedAt: now }]);
  await enqueue(ctx.env, { type: "webhook.deliver", userId, deliveryId: id });
  return (await deliveries.get(id))!;
}

export async function sendTestEvent(ctx: ServiceContext, userId: string, endpointId: string): Promise<WebhookDeliveryRow> {
  const endpoint = await getEndpoint(ctx, userId, endpointId);
  const now = ctx.clock.now();
  const payload = eventPayload(WEBHOOK_TEST_EVENT, now, { endpoint_id: endpoint.id, message: "This is a test event from Lecture Publisher" });
  return queueManualDelivery(ctx, userId, endpoint.id, { messageId: newMessageId(now), eventType: WEBHOOK_TEST_EVENT, payload });
}

/** Sends a delivery's message again, with the same `webhook-id`, so a receiver that got it can tell. */
export async function redeliver(ctx: ServiceContext, userId: string, endpointId: string, deliveryId: string): Promise<WebhookDeliveryRow> {
  await getEndpoint(ctx, userId, endpointId);
  const original = await repos(ctx, userId).deliveries.getForEndpoint(endpointId, deliveryId);
  if (!original) throw notFound("Webhook delivery");
  if (original.status === "PENDING") throw conflict("The delivery is still being attempted; redeliver it once it has succeeded or failed");
  return queueManualDelivery(ctx, userId, endpointId, { messageId: original.messageId, eventType: original.eventType, payload: original.payload });
}

import { findWebhookSource, ZoomRepository } from "../../db/repositories/zoom.repository";
import { verifyZoomSignature } from "../../integrations/zoom/webhook-signature";
import { zoomWebhookSchema } from "../../integrations/zoom/types";
import { log } from "../../lib/logger";
import { storageKeys } from "../../lib/storage-keys";
import type { ServiceContext } from "../context";
import { processZoomWebhook } from "./webhook-processor";
import { webhookSecretOf } from "./webhook-secret-cache";
import { bringsRecordings, businessKey } from "./webhook-receiver";

/** A verified delivery as the front door queued it (see `receiveZoomWebhook`). */
export interface ZoomDelivery {
  userId: string;
  sourceId: number;
  deliveryId: string;
  receivedAt: number;
  rawBody: string;
  signature?: string;
  timestamp?: string;
}

/**
 * Queue side of the front door: stores the raw body, records the event (duplicates collapse on
 * their business key) and applies it. Every step is idempotent under redelivery: the body key
 * and the event id are the delivery's own id, and the processor only acts on "received" events.
 */
export async function persistZoomDelivery(ctx: ServiceContext, delivery: ZoomDelivery): Promise<void> {
  const parsed = zoomWebhookSchema.safeParse(safeJson(delivery.rawBody));
  if (!parsed.success) {
    // The front door parsed it before queueing, so this is a message no retry can repair.
    log.error("queued zoom delivery is not a Zoom event; dropped", { deliveryId: delivery.deliveryId, sourceId: delivery.sourceId });
    return;
  }
  const body = parsed.data;
  // The front door may have answered from its isolate's memory of the source (webhook-source-cache.ts):
  // a source deleted or deactivated meanwhile, or whose secret changed, takes nothing more.
  const refusal = await stillAccepted(ctx, delivery, body.event);
  if (refusal) {
    log.warn(`zoom delivery dropped: ${refusal}`, { deliveryId: delivery.deliveryId, sourceId: delivery.sourceId });
    return;
  }
  const zoom = new ZoomRepository(ctx.db, delivery.userId);
  const bodyKey = storageKeys.zoomWebhookBody(delivery.userId, delivery.deliveryId);
  await ctx.env.MEDIA.put(bodyKey, delivery.rawBody, { httpMetadata: { contentType: "application/json" } });
  const object = body.payload.object as { uuid?: unknown } | undefined;
  const { row, duplicate } = await zoom.recordEvent({
    id: delivery.deliveryId,
    sourceId: delivery.sourceId,
    event: body.event,
    businessKey: businessKey(body.event, body.payload.object, body.event_ts),
    meetingUuid: typeof object?.uuid === "string" ? object.uuid : null,
    eventTs: body.event_ts ?? null,
    bodyKey,
    receivedAt: new Date(delivery.receivedAt),
  });
  // A redelivered message finds its own row (same id): its body is that row's body and stays.
  if (duplicate && row.id !== delivery.deliveryId) await ctx.env.MEDIA.delete(bodyKey);
  log.info("zoom webhook recorded", { sourceId: delivery.sourceId, event: body.event, eventId: row.id, duplicate });
  if (row.status === "received") await processZoomWebhook(ctx, { userId: delivery.userId, eventId: row.id });
}

/** Why a queued delivery is no longer to be stored, read from D1 now; null when it is. */
async function stillAccepted(ctx: ServiceContext, delivery: ZoomDelivery, event: string): Promise<string | null> {
  const found = await findWebhookSource(ctx.db, delivery.sourceId, null);
  if (!found || found.source.userId !== delivery.userId) return "the source no longer exists";
  if (!found.source.isActive && bringsRecordings(event)) return "the source is inactive";
  // Messages queued before the signature travelled with them are trusted as the front door checked them.
  if (delivery.signature === undefined) return null;
  const secret = await webhookSecretOf(ctx, found.credential);
  if (secret === undefined) return "the source has no webhook secret any more";
  const check = await verifyZoomSignature({
    secret,
    signature: delivery.signature,
    timestamp: delivery.timestamp,
    rawBody: delivery.rawBody,
    nowSeconds: Math.floor(delivery.receivedAt / 1000),
  });
  return check.ok ? null : "its signature does not match the source's current secret";
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

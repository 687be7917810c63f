import { findWebhookSource } from "../../db/repositories/zoom.repository";
import { urlValidationResponse, verifyZoomSignature } from "../../integrations/zoom/webhook-signature";
import { ZOOM_RECORDING_EVENTS, zoomWebhookSchema, type ZoomRecordingEvent } from "../../integrations/zoom/types";
import { QUEUE_MESSAGE_MAX_BYTES, queueMessageBytes } from "../../integrations/queue/message-size";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { epochSeconds } from "../../lib/clock";
import { AppError, badRequest, notFound } from "../../lib/errors";
import { ulid } from "../../lib/ids";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { webhookSecretOf } from "./webhook-secret-cache";

export interface WebhookHeaders {
  timestamp: string | undefined;
  signature: string | undefined;
}

const isRecordingEvent = (event: string): event is ZoomRecordingEvent => (ZOOM_RECORDING_EVENTS as readonly string[]).includes(event);

/** Events that bring recordings or files. An inactive source takes none of them (sync refuses it too). */
export const bringsRecordings = (event: string) => event === "recording.completed" || event === "recording.transcript_completed";

/**
 * Retries and duplicates of one fact collapse onto one key: a meeting's files for completion
 * events (new files make a new key), the event time for state changes (trash, recover, trash).
 */
export function businessKey(event: string, object: unknown, eventTs: number | undefined): string {
  const meeting = (object ?? {}) as { uuid?: unknown; recording_files?: Array<{ id?: unknown }> };
  const uuid = typeof meeting.uuid === "string" ? meeting.uuid : "";
  if (bringsRecordings(event)) {
    const files = (meeting.recording_files ?? []).map((f) => String(f.id ?? "")).filter(Boolean).sort();
    return `${event}|${uuid}|${files.join(",")}`;
  }
  return `${event}|${uuid}|${eventTs ?? ""}`;
}

/**
 * The front door: verify → enqueue the raw delivery → answer. Persistence, dedupe and ingestion
 * happen in the queue consumer (`persistZoomDelivery`), so the answer costs an HMAC and a queue
 * send, plus one indexed read when the isolate has not seen the source in the last 30 s
 * (db/webhook-source-cache.ts). The delivery is acknowledged only after the queue accepted it: a failed
 * send surfaces as a 5xx and Zoom retries.
 */
export async function receiveZoomWebhook(ctx: ServiceContext, sourceId: number, headers: WebhookHeaders, rawBody: string) {
  const found = await findWebhookSource(ctx.db, sourceId, ctx.clock.now().getTime());
  const secret = found ? await webhookSecretOf(ctx, found.credential) : undefined;
  if (!found || secret === undefined) throw notFound("Webhook endpoint");
  const check = await verifyZoomSignature({ secret, ...headers, rawBody, nowSeconds: epochSeconds(ctx.clock.now()) });
  if (!check.ok) {
    log.warn("zoom webhook rejected", { sourceId, reason: check.reason });
    throw new AppError("UNAUTHORIZED", "Invalid webhook signature");
  }
  let body;
  try {
    body = zoomWebhookSchema.parse(JSON.parse(rawBody));
  } catch {
    throw badRequest("Webhook body is not a Zoom event");
  }
  if (body.event === "endpoint.url_validation") {
    if (!body.payload.plainToken) throw badRequest("url_validation without plainToken");
    return { kind: "validation" as const, response: await urlValidationResponse(secret, body.payload.plainToken) };
  }
  if (!isRecordingEvent(body.event)) return { kind: "ignored" as const };
  // Paused: no new recordings, answered 200 so Zoom does not retry. Trash, delete and recover still
  // apply, so the recordings already taken stay true to Zoom.
  if (!found.source.isActive && bringsRecordings(body.event)) return { kind: "ignored" as const };

  const message = {
    type: "zoom.delivery" as const,
    userId: found.source.userId,
    sourceId,
    deliveryId: ulid(),
    receivedAt: ctx.clock.now().getTime(),
    rawBody,
    signature: headers.signature,
    timestamp: headers.timestamp,
  };
  if (queueMessageBytes(message) > QUEUE_MESSAGE_MAX_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `The delivery does not fit in one queue message (${QUEUE_MESSAGE_MAX_BYTES} bytes)`);
  }
  try {
    await enqueue(ctx.env, message);
  } catch (error) {
    // Not acknowledged: Zoom retries a 5xx, and nothing was stored that a retry could duplicate.
    log.error("zoom webhook could not be queued", { sourceId, event: body.event, error });
    throw new AppError("SERVICE_UNAVAILABLE", "The delivery could not be queued; retry later", { cause: error, headers: { "Retry-After": "5" } });
  }
  log.info("zoom webhook queued", { sourceId, event: body.event, deliveryId: message.deliveryId });
  return { kind: "accepted" as const, eventId: message.deliveryId };
}

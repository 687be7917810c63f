import { findWebhookSource, ZoomRepository } from "../../db/repositories/zoom.repository";
import { urlValidationResponse, verifyZoomSignature } from "../../integrations/zoom/webhook-signature";
import { ZOOM_RECORDING_EVENTS, zoomWebhookSchema, type ZoomRecordingEvent } from "../../integrations/zoom/types";
import { enqueue } from "../../jobs/messages";
import { epochSeconds } from "../../lib/clock";
import { AppError, badRequest, notFound } from "../../lib/errors";
import { ulid } from "../../lib/ids";
import { log } from "../../lib/logger";
import { storageKeys } from "../../lib/storage-keys";
import type { ServiceContext } from "../context";
import { openCredential } from "../credentials/credentials.service";

export interface WebhookHeaders {
  timestamp: string | undefined;
  signature: string | undefined;
}

const isRecordingEvent = (event: string): event is ZoomRecordingEvent => (ZOOM_RECORDING_EVENTS as readonly string[]).includes(event);

/**
 * Retries and duplicates of one fact collapse onto one key: a meeting's files for completion
 * events (new files make a new key), the event time for state changes (trash, recover, trash).
 */
export function businessKey(event: string, object: unknown, eventTs: number | undefined): string {
  const meeting = (object ?? {}) as { uuid?: unknown; recording_files?: Array<{ id?: unknown }> };
  const uuid = typeof meeting.uuid === "string" ? meeting.uuid : "";
  if (event === "recording.completed" || event === "recording.transcript_completed") {
    const files = (meeting.recording_files ?? []).map((f) => String(f.id ?? "")).filter(Boolean).sort();
    return `${event}|${uuid}|${files.join(",")}`;
  }
  return `${event}|${uuid}|${eventTs ?? ""}`;
}

/**
 * The front door: verify → dedupe → persist → enqueue → answer. No Zoom or pipeline work happens
 * inline, so Zoom gets its answer well within its 3 s.
 */
export async function receiveZoomWebhook(ctx: ServiceContext, sourceId: number, headers: WebhookHeaders, rawBody: string) {
  const found = await findWebhookSource(ctx.db, sourceId);
  const secret = found ? (await openCredential(ctx, found.credential)).webhook_secret_token : undefined;
  if (!found || typeof secret !== "string" || secret === "") throw notFound("Webhook endpoint");
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

  const userId = found.source.userId;
  const zoom = new ZoomRepository(ctx.db, userId);
  const id = ulid();
  const bodyKey = storageKeys.zoomWebhookBody(userId, id);
  await ctx.env.MEDIA.put(bodyKey, rawBody, { httpMetadata: { contentType: "application/json" } });
  const object = body.payload.object as { uuid?: unknown } | undefined;
  const { row, duplicate } = await zoom.recordEvent({
    id,
    sourceId,
    event: body.event,
    businessKey: businessKey(body.event, body.payload.object, body.event_ts),
    meetingUuid: typeof object?.uuid === "string" ? object.uuid : null,
    eventTs: body.event_ts ?? null,
    bodyKey,
    receivedAt: ctx.clock.now(),
  });
  if (duplicate) await ctx.env.MEDIA.delete(bodyKey);
  // Re-enqueued while unprocessed: if a previous enqueue was lost, Zoom's retry repairs it; the
  // consumer is idempotent, so extra messages change nothing.
  if (row.status === "received") await enqueue(ctx.env, { type: "zoom.webhook", userId, eventId: row.id });
  log.info("zoom webhook accepted", { sourceId, event: body.event, eventId: row.id, duplicate });
  return { kind: "accepted" as const, eventId: row.id, duplicate };
}

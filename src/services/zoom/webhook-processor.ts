import type { RunRow } from "../../db/repositories/runs.repository";
import { forTenant } from "../../db/repositories/tenant";
import type { StageType } from "../../db/repositories/stages.repository";
import { ZoomRepository } from "../../db/repositories/zoom.repository";
import { zoomMeetingSchema, zoomWebhookSchema } from "../../integrations/zoom/types";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { autoStartRun } from "../pipeline/auto-start";
import { runStagesWithinBudget } from "../pipeline/engine";
import { stageMessage } from "../pipeline/run-lifecycle";
import { zoomGoneReason } from "../recordings/skip-reasons";
import { decisionOf } from "./ingest-decision";
import { ingestMeeting } from "./ingest-meeting";
import { WEBHOOK_TOKEN_TTL_MS } from "./webhook-download-token";

/**
 * Queue side of the webhook: applies one persisted event. Idempotent (it only acts on events still
 * "received", and ingestion upserts), so redelivery and duplicate messages are harmless.
 */
export async function processZoomWebhook(ctx: ServiceContext, message: { userId: string; eventId: string }): Promise<void> {
  const zoom = new ZoomRepository(ctx.db, message.userId);
  const event = await zoom.getEvent(message.eventId);
  if (event?.status !== "received") return;
  const object = await ctx.env.MEDIA.get(event.bodyKey);
  if (!object) {
    await zoom.finishEvent(event.id, "failed", ctx.clock.now(), "stored body is missing");
    return;
  }
  const body = zoomWebhookSchema.parse(await object.json());
  const meeting = zoomMeetingSchema.safeParse(body.payload.object);
  if (!meeting.success) {
    await zoom.finishEvent(event.id, "failed", ctx.clock.now(), "payload.object is not a Zoom meeting");
    return;
  }
  const now = ctx.clock.now();
  let started: RunRow | null = null;
  switch (body.event) {
    case "recording.completed":
    case "recording.transcript_completed": {
      const result = await ingestMeeting(ctx, message.userId, event.sourceId, meeting.data, { via: "webhook", eventId: event.id }, {
        webhook_event_id: event.id,
        download_token_expires_at: body.download_token ? new Date(now.getTime() + WEBHOOK_TOKEN_TTL_MS).toISOString() : null,
      });
      log.info("zoom recording ingested", { eventId: event.id, ...decisionOf(meeting.data.uuid, result), outcome: result.outcome, newFiles: result.newFiles });
      // Whatever the outcome ("unchanged" when a sync saw the meeting first): the claim inside
      // makes the start happen once across sync and webhook.
      started = result.recordingId && result.status === "INITIALIZED" ? await autoStartRun(ctx, message.userId, result.recordingId, "webhook") : null;
      break;
    }
    case "recording.trashed":
    case "recording.deleted":
    case "recording.recovered": {
      const found = await zoom.findRecordingBySourceKey(meeting.data.uuid);
      if (found) {
        const state = body.event === "recording.recovered" ? "available" : body.event.replace("recording.", "");
        await zoom.mergeSourceMetadata(found.recording.id, { zoom_state: state, zoom_state_at: now.toISOString() }, now);
        // Nothing copied yet and Zoom's copy is gone: the recording cannot be fetched any more.
        if (state !== "available" && !found.recording.sourceObjectKey && found.recording.status !== "SKIPPED") {
          await forTenant(ctx.db, message.userId).recordings.update(found.recording.id, {
            status: "SKIPPED",
            failedReason: zoomGoneReason(state),
            skipReason: zoomGoneReason(state),
            updatedAt: now,
          });
        }
      }
      break;
    }
    default:
      await zoom.finishEvent(event.id, "ignored", now);
      return;
  }
  await zoom.finishEvent(event.id, "processed", now);
  // An auto-started run's first stage begins here rather than one queue hop later. Its message
  // (already sent) stays the wake-up if this invocation dies, and finds the stage claimed or done.
  if (started?.status === "RUNNING" && started.currentStage) await runStagesWithinBudget(ctx, stageMessage(started, started.currentStage as StageType));
}

import { isUniqueViolation } from "../../db/client";
import type { RecordingPatch, RecordingRow } from "../../db/repositories/recordings.repository";
import { forTenant } from "../../db/repositories/tenant";
import { ZoomRepository } from "../../db/repositories/zoom.repository";
import type { RecordingStatus } from "../../db/schema";
import type { ZoomMeeting, ZoomRecordingFile } from "../../integrations/zoom/types";
import { log } from "../../lib/logger";
import { effectiveUserConfig, resolveConfig, type ConfigLayer } from "../config/resolve";
import type { ServiceContext } from "../context";
import { expiryFor } from "../recordings/retention-dates";
import { findMatchingTemplate } from "../templates/matcher";
import { toMatchable } from "../templates/rematch";
import { zoomDownloadUrlRefusal } from "./download-hosts";
import { chooseAudioFile, chooseVideoFile, blankReasonOf, stillProcessing } from "./meeting-mapping";
import { countNewRecording, quotaMark } from "../quotas/recording-quota";
import { templateLayer } from "../recordings/recording-config.service";
import { NO_TEMPLATE_REASON } from "../recordings/skip-reasons";
import { requestIndexUpdate } from "../search/index-sync";

export type IngestOutcome = "created" | "updated" | "unchanged" | "skipped_deleted" | "skipped_tombstone" | "skipped_in_pipeline";

/**
 * Where the meeting was seen. A webhook's download URLs go with that event's download_token and
 * an API listing's with the API's token, so each is stored apart and never overwrites the other.
 */
export type IngestOrigin = { via: "api" } | { via: "webhook"; eventId: string };

export interface IngestResult {
  outcome: IngestOutcome;
  recordingId?: number;
  newFiles: number;
  /** The recording's status after ingestion (absent when it was deleted or never created). */
  status?: RecordingStatus;
  skipReason: string | null;
}

/** Statuses in which a new look at Zoom may still change mapping and status (nothing started yet). */
const REEVALUATE: ReadonlySet<RecordingStatus> = new Set(["PENDING_SOURCE", "SKIPPED", "INITIALIZED"]);

const date = (iso: string | undefined) => (iso && !Number.isNaN(Date.parse(iso)) ? new Date(iso) : null);

/**
 * Creates or updates the recording of one Zoom meeting (webhook or API sync share this). Files are
 * tracked by Zoom file id, so a late transcript is attached once; a recording the user deleted
 * (row or tombstone) is never brought back.
 */
export async function ingestMeeting(
  ctx: ServiceContext,
  userId: string,
  sourceId: number | null,
  meeting: ZoomMeeting,
  origin: IngestOrigin,
  extra: Record<string, unknown> = {},
): Promise<IngestResult> {
  const zoom = new ZoomRepository(ctx.db, userId);
  const tenant = forTenant(ctx.db, userId);
  if (await zoom.isTombstoned(meeting.uuid)) return { outcome: "skipped_tombstone", newFiles: 0, skipReason: null };
  const now = ctx.clock.now();
  let existing: RecordingRow | undefined = (await zoom.findRecordingBySourceKey(meeting.uuid))?.recording;
  const userConfig = (await tenant.config.getOrCreate(now)).configData;
  const video = chooseVideoFile(meeting.recording_files);
  const audio = chooseAudioFile(meeting.recording_files);
  const processing = stillProcessing(meeting);
  const displayName = meeting.topic?.trim() || "Untitled";
  const match = findMatchingTemplate({ displayName, inputSourceId: sourceId }, (await tenant.templates.listMatchable()).map(toMatchable));
  // Blank thresholds come from the configuration a run would use: defaults → user → the matched
  // template → the recording's own overrides (LEAP read the user's alone).
  const config = resolveConfig({
    user: userConfig,
    template: match ? templateLayer(match.row) : null,
    recording: (existing?.processingPreferences ?? null) as ConfigLayer | null,
  });
  const blank = processing ? null : blankReasonOf(meeting, video, config);
  const skipReason = processing ? null : (blank ?? (match ? null : NO_TEMPLATE_REASON));
  const status: RecordingStatus = processing ? "PENDING_SOURCE" : skipReason ? "SKIPPED" : "INITIALIZED";
  const fields: RecordingPatch = {
    displayName,
    duration: Math.round((meeting.duration ?? 0) * 60),
    videoFileSize: video?.file_size ?? null,
    blankRecord: blank !== null,
    isMapped: match !== null,
    templateId: match?.id ?? null,
    status,
    skipReason,
    updatedAt: now,
  };
  // Refused download URLs are not kept (the download goes through Zoom's API instead); the reason is.
  const refused = new Map<string, string>();
  const downloadUrlOf = (f: ZoomRecordingFile): string | null => {
    if (!f.download_url) return null;
    const refusal = zoomDownloadUrlRefusal(ctx.config, f.download_url);
    if (!refusal) return f.download_url;
    if (f.id) refused.set(f.id, refusal.message);
    log.warn("zoom download_url refused", { userId, meetingUuid: meeting.uuid, fileId: f.id ?? null, rule: refusal.rule, host: refusal.host });
    return null;
  };
  const urlFields = (f: ZoomRecordingFile) => {
    const url = downloadUrlOf(f);
    return origin.via === "webhook" ? { webhookDownloadUrl: url, webhookEventId: url ? origin.eventId : null } : { downloadUrl: url };
  };
  const files = meeting.recording_files
    .filter((f): f is typeof f & { id: string } => typeof f.id === "string")
    .map((f) => ({
      zoomFileId: f.id,
      fileType: f.file_type.toUpperCase(),
      recordingType: f.recording_type ?? null,
      fileSize: f.file_size ?? null,
      status: f.status ?? null,
      ...urlFields(f),
      recordingStart: date(f.recording_start),
      recordingEnd: date(f.recording_end),
      createdAt: now,
      updatedAt: now,
    }));
  const metadata = {
    meeting_id: meeting.id ?? null,
    account_id: meeting.account_id ?? null,
    host_id: meeting.host_id ?? null,
    host_email: meeting.host_email ?? null,
    timezone: meeting.timezone ?? null,
    total_size: meeting.total_size ?? null,
    recording_count: meeting.recording_count ?? null,
    share_url: meeting.share_url ?? null,
    video_file_id: video?.id ?? null,
    audio_file_id: audio?.id ?? null,
    zoom_processing_incomplete: processing,
    download_url_refused: (video?.id && refused.get(video.id)) || (audio?.id && refused.get(audio.id)) || null,
    ...extra,
  };

  if (!existing) {
    // Recordings per month (§8.4): a webhook or sync never fails over quota. The recording is
    // created, left uncounted and marked; a run for it is refused until the quota has room.
    const quota = await countNewRecording(ctx, userId);
    let created: RecordingRow | undefined;
    try {
      created = await tenant.recordings.insertWithSource(
        {
          ...fields,
          displayName,
          startTime: date(meeting.start_time) ?? now,
          expireAt: expiryFor(effectiveUserConfig(userConfig), now),
          inputSourceId: sourceId,
          createdAt: now,
          updatedAt: now,
        },
        { sourceType: "ZOOM", sourceKey: meeting.uuid, inputSourceId: sourceId, metadata: { ...metadata, ...quotaMark(quota) }, createdAt: now, updatedAt: now },
      );
      await requestIndexUpdate(ctx, userId, created.id);
      return { outcome: "created", recordingId: created.id, newFiles: await zoom.upsertFiles(created.id, files), status, skipReason };
    } catch (error) {
      if (!created) await quota.release(); // the row was not created: neither is the count
      if (!isUniqueViolation(error)) throw error;
      // A concurrent delivery created it first: continue as an update of that row.
      existing = (await zoom.findRecordingBySourceKey(meeting.uuid))?.recording;
      if (!existing) throw error;
    }
  }
  if (existing.deleted) return { outcome: "skipped_deleted", recordingId: existing.id, newFiles: 0, skipReason: null };
  const newFiles = await zoom.upsertFiles(existing.id, files);
  await zoom.mergeSourceMetadata(existing.id, metadata, now);
  if (!REEVALUATE.has(existing.status)) {
    return { outcome: "skipped_in_pipeline", recordingId: existing.id, newFiles, status: existing.status, skipReason: existing.skipReason };
  }
  const current = existing;
  const changed = (Object.keys(fields) as Array<keyof RecordingPatch>).some((k) => k !== "updatedAt" && fields[k] !== current[k]);
  if (!changed) return { outcome: newFiles > 0 ? "updated" : "unchanged", recordingId: existing.id, newFiles, status, skipReason };
  await tenant.recordings.update(existing.id, fields);
  if ("displayName" in fields && fields.displayName !== current.displayName) await requestIndexUpdate(ctx, userId, existing.id);
  return { outcome: "updated", recordingId: existing.id, newFiles, status, skipReason };
}

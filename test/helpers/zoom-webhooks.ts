import { zoomSignature } from "../../src/integrations/zoom/webhook-signature";
import { call } from "./api";

export const WEBHOOK_SECRET = "secretValueTest";

export function meetingEvent(
  event: string,
  meeting: { uuid: string; topic: string; duration?: number; files: Array<{ id: string; type: string; size?: number; recordingType?: string }> },
  extra: Record<string, unknown> = {},
) {
  return {
    event,
    event_ts: Date.now(),
    payload: {
      account_id: "AbCdEfGhIjKlMnOp",
      object: {
        uuid: meeting.uuid,
        id: 87565330005,
        topic: meeting.topic,
        start_time: "2026-11-20T10:00:00Z",
        timezone: "Europe/Moscow",
        duration: meeting.duration ?? 95,
        total_size: 600_000_000,
        recording_count: meeting.files.length,
        recording_files: meeting.files.map((f) => ({
          id: f.id,
          meeting_id: meeting.uuid,
          file_type: f.type,
          file_size: f.size ?? 500_000_000,
          recording_type: f.recordingType ?? (f.type === "MP4" ? "shared_screen_with_speaker_view" : "audio_only"),
          download_url: `https://us06web.zoom.us/rec/webhook_download/${f.id}`,
          status: "completed",
        })),
      },
    },
    download_token: `dl-token-${crypto.randomUUID()}`,
    ...extra,
  };
}

/** Delivers a body to a source's webhook URL, signed like Zoom signs it (or with `override` headers). */
export async function deliver(sourceId: number, body: unknown, override: Record<string, string> = {}, secret = WEBHOOK_SECRET) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const timestamp = override["x-zm-request-timestamp"] ?? String(Math.floor(Date.now() / 1000));
  const signature = await zoomSignature(secret, timestamp, raw);
  return call<Record<string, unknown>>(`/api/v1/webhooks/zoom/${sourceId}`, {
    method: "POST",
    rawBody: raw,
    headers: { "content-type": "application/json; charset=utf-8", "x-zm-request-timestamp": timestamp, "x-zm-signature": signature, ...override },
  });
}

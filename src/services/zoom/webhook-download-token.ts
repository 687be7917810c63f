import type { RecordingFileRow } from "../../db/repositories/zoom.repository";
import { ZoomRepository } from "../../db/repositories/zoom.repository";
import { zoomWebhookSchema } from "../../integrations/zoom/types";
import type { ServiceContext } from "../context";
import { zoomDownloadUrlRefusal } from "./download-hosts";

/** A webhook's `download_token` is valid for 24 hours from the event (EXTERNAL-APIS §1.8). */
export const WEBHOOK_TOKEN_TTL_MS = 24 * 3600_000;

/**
 * The webhook's download URL of one file with the download_token of the very event that carried
 * that URL (kept in the event's stored body, never in D1 or responses), while the token has more
 * than `marginMs` to live. Null when there is no such pair: the caller then asks the API for its
 * own URL and token. A webhook token is never combined with any other URL.
 */
export async function webhookDownloadPair(
  ctx: ServiceContext,
  userId: string,
  file: Pick<RecordingFileRow, "webhookDownloadUrl" | "webhookEventId">,
  marginMs: number,
): Promise<{ url: string; token: string } | null> {
  if (!file.webhookDownloadUrl || !file.webhookEventId) return null;
  // A URL stored before the outbound policy existed is checked again; a refused one is not used.
  if (zoomDownloadUrlRefusal(ctx.config, file.webhookDownloadUrl)) return null;
  const event = await new ZoomRepository(ctx.db, userId).getEvent(file.webhookEventId);
  if (!event || event.receivedAt.getTime() + WEBHOOK_TOKEN_TTL_MS - ctx.clock.now().getTime() <= marginMs) return null;
  const stored = await ctx.env.MEDIA.get(event.bodyKey);
  const body = stored ? zoomWebhookSchema.safeParse(await stored.json()) : null;
  if (!body?.success || !body.data.download_token) return null;
  return { url: file.webhookDownloadUrl, token: body.data.download_token };
}

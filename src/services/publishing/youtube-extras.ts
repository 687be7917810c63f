import type { YouTubeClient } from "../../integrations/youtube/client";
import { log } from "../../lib/logger";
import { sanitizeProviderMessage } from "../../lib/sanitize-provider-message";
import { classifyStageError, PermanentStageError } from "../pipeline/stage-errors";
import type { PublishInput } from "./publish-types";

/** What is done to a YouTube video after its upload, in this order. */
export const EXTRA_NAMES = ["playlist", "thumbnail", "captions"] as const;
export type ExtraName = (typeof EXTRA_NAMES)[number];

/**
 * One extra of a published video, kept in the target's `target_meta.extras`: `pending` (to do, or
 * to try again), `done`, or `failed` for good with the reason (shown on the output; the
 * retry-extras endpoint makes it pending again).
 */
export interface ExtraState {
  status: "pending" | "done" | "failed";
  /** Calls made so far, across messages. */
  attempts: number;
  /** Queue messages that ended with a transient failure (bounded by EXTRA_MAX_ROUNDS). */
  rounds?: number;
  error?: string;
}
export type ExtrasState = Partial<Record<ExtraName, ExtraState>>;

/** Tries within one message, the waits between them: `videoNotFound` right after an upload usually clears in seconds. */
const IN_STEP_WAITS_MS = [2_000, 4_000];
/** The longest provider Retry-After waited for inside a message; a longer one waits in the queue. */
const MAX_IN_STEP_WAIT_MS = 10_000;
/** Messages an extra may take (each with the in-step tries) before a transient failure counts as permanent. */
export const EXTRA_MAX_ROUNDS = 4;
const MAX_ROUND_DELAY_SECONDS = 300;

const isExtra = (name: string): name is ExtraName => (EXTRA_NAMES as readonly string[]).includes(name);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The extras state of a target's meta. Targets published before extras were tracked carry
 * `extras_done` and `warnings` ("thumbnail: …"): those warnings become failed extras.
 */
export function extrasOf(meta: Record<string, unknown> | null | undefined): ExtrasState {
  const extras: ExtrasState = {};
  if (isRecord(meta?.extras)) {
    for (const [name, value] of Object.entries(meta.extras)) {
      if (!isExtra(name) || !isRecord(value)) continue;
      const status = value.status === "done" || value.status === "failed" ? value.status : "pending";
      extras[name] = {
        status,
        attempts: typeof value.attempts === "number" ? value.attempts : 0,
        ...(typeof value.rounds === "number" ? { rounds: value.rounds } : {}),
        ...(typeof value.error === "string" ? { error: value.error } : {}),
      };
    }
    return extras;
  }
  if (meta?.extras_done === true && Array.isArray(meta.warnings)) {
    for (const warning of meta.warnings) {
      const match = typeof warning === "string" ? /^(\w+): (.*)$/s.exec(warning) : null;
      if (match && isExtra(match[1]!)) extras[match[1]] = { status: "failed", attempts: 1, error: match[2]! };
    }
  }
  return extras;
}

/** Extras still to do (pending) or failed for good: what retry-extras would redo. */
export const missingExtras = (meta: Record<string, unknown> | null | undefined): ExtraName[] =>
  EXTRA_NAMES.filter((name) => {
    const status = extrasOf(meta)[name]?.status;
    return status === "pending" || status === "failed";
  });

/** An UPLOADED target with extras still pending: the upload stage finishes them (the video is never sent again). */
export const extrasPending = (meta: Record<string, unknown> | null | undefined): boolean =>
  Object.values(extrasOf(meta)).some((extra) => extra.status === "pending");

/** Failed extras become pending again (with a fresh round budget); returns the meta to store, or null when nothing is missing. */
export function reopenExtras(meta: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  const extras = extrasOf(meta);
  const missing = EXTRA_NAMES.filter((name) => extras[name] && extras[name].status !== "done");
  if (missing.length === 0) return null;
  for (const name of missing) extras[name] = { status: "pending", attempts: extras[name]!.attempts };
  return { ...(meta ?? {}), extras, extras_done: false, warnings: warningsOf(extras) };
}

/** `target_meta.warnings` as before extras were tracked: one "extra: reason" per failed extra. */
function warningsOf(extras: ExtrasState): string[] {
  return EXTRA_NAMES.filter((name) => extras[name]?.status === "failed").map((name) => `${name}: ${extras[name]!.error ?? "failed"}`);
}

/** Marks every extra not done yet as failed with `reason` (the step could not run: e.g. the credential must be reconnected). */
export function failOpenExtras(meta: Record<string, unknown>, reason: string): Record<string, unknown> {
  const extras = extrasOf(meta);
  for (const name of EXTRA_NAMES) {
    const extra = extras[name];
    if (extra && extra.status === "pending") extras[name] = { ...extra, status: "failed", error: sanitizeProviderMessage(reason) };
  }
  return { ...meta, extras, warnings: warningsOf(extras) };
}

type Outcome = { ok: true; calls: number } | { ok: false; calls: number; retryable: boolean; message: string; retryAfterSeconds: number | null };

/** One extra, tried up to three times within this message while its failure is transient. */
async function attempt(run: () => Promise<void>): Promise<Outcome> {
  for (let calls = 1; ; calls++) {
    try {
      await run();
      return { ok: true, calls };
    } catch (error) {
      const { retryable, message, retryAfterSeconds } = classifyStageError(error);
      const wait = retryAfterSeconds !== null ? retryAfterSeconds * 1000 : IN_STEP_WAITS_MS[calls - 1];
      if (!retryable || wait === undefined || calls > IN_STEP_WAITS_MS.length || wait > MAX_IN_STEP_WAIT_MS) {
        return { ok: false, calls, retryable, message, retryAfterSeconds };
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * Playlist, thumbnail and captions of an uploaded video. Each extra's outcome is persisted: done;
 * failed for good with the reason (a permanent error, or transient ones past EXTRA_MAX_ROUNDS
 * messages); or still pending after a transient failure (`videoNotFound` while YouTube indexes the
 * new video, a 5xx, a 429), in which case the returned delay asks for another message. The video
 * itself is never uploaded again for an extra.
 */
export async function publishYouTubeExtras(input: PublishInput, client: YouTubeClient, videoId: string): Promise<{ pendingDelaySeconds: number | null }> {
  const { ctx, publication, save } = input;
  const state = input.state as { extras?: ExtrasState; extras_done?: boolean; warnings?: string[] };
  const wanted: Partial<Record<ExtraName, () => Promise<void>>> = {};
  if (publication.playlist_id) {
    const playlistId = publication.playlist_id;
    wanted.playlist = async () => void (await client.addToPlaylist(playlistId, videoId));
  }
  const thumbnail = publication.thumbnail;
  if (thumbnail) {
    wanted.thumbnail = async () => {
      const image = await ctx.env.MEDIA.get(thumbnail.key);
      if (!image) throw new PermanentStageError(`the thumbnail ${thumbnail.name} is no longer stored`);
      await client.setThumbnail(videoId, await image.arrayBuffer(), thumbnail.contentType);
    };
  }
  const captions = input.captions;
  if (captions) wanted.captions = async () => void (await client.uploadCaption(videoId, captions));

  const extras = extrasOf(state as Record<string, unknown>);
  // An extra the preset no longer asks for (or subtitles no longer sent) is not waited for.
  for (const name of EXTRA_NAMES) if (!wanted[name] && extras[name]?.status !== "done") delete extras[name];
  let pendingDelaySeconds: number | null = null;
  for (const name of EXTRA_NAMES) {
    const run = wanted[name];
    if (!run) continue;
    extras[name] ??= { status: "pending", attempts: 0 };
    const extra = extras[name];
    if (extra.status !== "pending") continue;
    const outcome = await attempt(run);
    extra.attempts += outcome.calls;
    if (outcome.ok) {
      extras[name] = { status: "done", attempts: extra.attempts };
    } else {
      const rounds = (extra.rounds ?? 0) + 1;
      const exhausted = outcome.retryable && rounds >= EXTRA_MAX_ROUNDS;
      if (outcome.retryable && !exhausted) {
        extras[name] = { status: "pending", attempts: extra.attempts, rounds, error: sanitizeProviderMessage(outcome.message) };
        const delay = outcome.retryAfterSeconds ?? Math.min(MAX_ROUND_DELAY_SECONDS, ctx.config.PIPELINE_RETRY_BASE_SECONDS * 3 * 2 ** (rounds - 1));
        pendingDelaySeconds = Math.max(pendingDelaySeconds ?? 0, delay);
      } else {
        const error = exhausted ? `gave up after ${extra.attempts} attempts: ${outcome.message}` : outcome.message;
        extras[name] = { status: "failed", attempts: extra.attempts, error: sanitizeProviderMessage(error) };
      }
      log.warn("youtube extra failed", { targetId: input.target.id, extra: name, attempts: extra.attempts, status: extras[name]!.status, reason: outcome.message });
    }
    state.extras = extras;
    await save();
  }
  state.extras = extras;
  state.extras_done = pendingDelaySeconds === null;
  const warnings = warningsOf(extras);
  if (warnings.length > 0) state.warnings = warnings;
  else delete state.warnings;
  await save();
  return { pendingDelaySeconds };
}

/** The extras of an output as the API shows them. */
export function extrasView(meta: Record<string, unknown> | null | undefined): {
  extras: Record<string, { status: ExtraState["status"]; attempts: number; error: string | null }>;
  extras_failed: ExtraName[];
} {
  const extras = extrasOf(meta);
  return {
    extras: Object.fromEntries(EXTRA_NAMES.filter((name) => extras[name]).map((name) => [name, { status: extras[name]!.status, attempts: extras[name]!.attempts, error: extras[name]!.error ?? null }])),
    extras_failed: EXTRA_NAMES.filter((name) => extras[name]?.status === "failed"),
  };
}

import type { OutputTargetRow } from "../../db/repositories/outputs.repository";
import type { RecordingRow } from "../../db/repositories/recordings.repository";
import type { ServiceContext } from "../context";
import type { StepBudget } from "../pipeline/step-budget";
import type { Publication } from "../presets/publication";

/** What one platform step needs: the publication (rendered metadata), the video in R2, the target's persisted state. */
export interface PublishInput {
  ctx: ServiceContext;
  userId: string;
  recording: RecordingRow;
  target: OutputTargetRow;
  publication: Publication;
  video: { key: string; size: number };
  /** The target's upload state (session, offsets, ids); `save` persists it at once. */
  state: Record<string, unknown>;
  save(): Promise<void>;
  /** Subtitles to attach (YouTube captions), when enabled and made. */
  captions: { language: string; name: string; body: string } | null;
  /** The message's time budget: chunks go on while it lasts (at most *_CHUNKS_PER_MESSAGE). */
  budget: StepBudget;
}

export type PublishStep = { done: false; delaySeconds?: number } | { done: true; url: string; videoId: string | null };

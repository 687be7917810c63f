import type { RecordingPatch, RecordingRow } from "../../db/repositories/recordings.repository";
import type { RunRow } from "../../db/repositories/runs.repository";
import type { ServiceContext } from "../context";
import type { StepBudget } from "./step-budget";

export type StageProgress = Record<string, unknown>;

export interface StageStep {
  ctx: ServiceContext;
  recording: RecordingRow;
  run: RunRow;
  /** The stage's persisted progress; the step mutates it and the engine saves it. */
  progress: StageProgress;
  /** Persists `progress` mid-step (after each part), keeping the claim. */
  saveProgress(): Promise<void>;
  /** The message's time budget (shared with the stages it goes on to); a fresh one when absent. */
  budget?: StepBudget;
}

/**
 * `done: false` hands the stage to its next message: at once, or after `delaySeconds` when the
 * stage waits for an outside job (a provider's asynchronous transcription) — polling through
 * delayed queue messages, never a busy wait, and not counted as an attempt.
 */
export type StepResult = { done: false; delaySeconds?: number } | { done: true; recording?: RecordingPatch };

/**
 * One pipeline stage. The engine owns claims, status changes, retries and the run; an executor
 * only does bounded work per message (`step`), throwing PermanentStageError or
 * RetryableStageError, and frees what a failed or cancelled attempt left behind (`discard`).
 */
export interface StageExecutor {
  readonly maxAttempts: number;
  /** How long a claim lasts before the sweep may hand the stage to another consumer. */
  readonly leaseMs: number;
  step(step: StageStep): Promise<StepResult>;
  /** Runs once the stage is COMPLETED and the recording updated; its failure never undoes the stage. */
  afterComplete?(ctx: ServiceContext, recording: RecordingRow, progress: StageProgress): Promise<void>;
  discard?(ctx: ServiceContext, recording: RecordingRow, progress: StageProgress): Promise<void>;
}

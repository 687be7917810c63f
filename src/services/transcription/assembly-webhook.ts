import { runByVerifiedId } from "../../db/repositories/runs.repository";
import { enqueue } from "../../integrations/queue/pipeline-queue";
import { timingSafeEqual } from "../../lib/crypto";
import { utf8 } from "../../lib/encoding";
import { unauthorized } from "../../lib/errors";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { stageMessage } from "../pipeline/run-lifecycle";
import { assemblyWebhookSecret } from "../pipeline/stages/transcribe";

/**
 * AssemblyAI calls back when a job ends. The call only wakes the run's transcription stage early
 * (the stage fetches the transcript itself, and its claim makes an extra wake-up harmless); it is
 * authenticated by a per-run HMAC that was handed to AssemblyAI with the job.
 */
export async function receiveAssemblyWebhook(ctx: ServiceContext, runId: string | undefined, secret: string | undefined): Promise<"accepted" | "ignored"> {
  if (!runId || !secret) throw unauthorized("Missing webhook credentials");
  const expected = await assemblyWebhookSecret(ctx, runId);
  if (!timingSafeEqual(utf8.encode(secret), utf8.encode(expected))) throw unauthorized("Bad webhook signature");
  const run = await runByVerifiedId(ctx.db, runId);
  if (run?.status !== "RUNNING" || run.currentStage !== "TRANSCRIBE") return "ignored";
  await enqueue(ctx.env, stageMessage(run, "TRANSCRIBE"));
  log.info("transcription webhook woke the stage", { runId });
  return "accepted";
}

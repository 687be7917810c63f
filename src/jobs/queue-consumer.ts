import * as Sentry from "@sentry/cloudflare";
import { loadConfig } from "../lib/config";
import { configureLogger, log, withLogContext } from "../lib/logger";
import { runAutomationJob } from "../services/automation/automation-runner";
import { serviceContext, type ServiceContext } from "../services/context";
import { abandonStage, runStagesWithinBudget } from "../services/pipeline/engine";
import { indexRecording, rebuildIndexPage } from "../services/search/index-sync";
import { continueRematch } from "../services/templates/rematch";
import { processZoomWebhook } from "../services/zoom/webhook-processor";
import { deliverWebhook } from "../services/webhooks/delivery.service";
import { persistZoomDelivery } from "../services/zoom/webhook-intake";
import { purgeAccount } from "./account-purge";
import { retryDelaySeconds } from "../lib/backoff";
import { pipelineMessageSchema, type PipelineMessage } from "../integrations/queue/pipeline-queue";

export const DEAD_LETTER_QUEUE_SUFFIX = "-dlq";

async function dispatch(ctx: ServiceContext, message: PipelineMessage): Promise<void> {
  switch (message.type) {
    case "account.purge":
      await purgeAccount(ctx, message.userId);
      return;
    case "zoom.webhook":
      await processZoomWebhook(ctx, message);
      return;
    case "zoom.delivery":
      await persistZoomDelivery(ctx, message);
      return;
    case "pipeline.stage":
      await withLogContext({ recordingId: message.recordingId, runId: message.runId, stage: message.stage }, () => runStagesWithinBudget(ctx, message));
      return;
    case "templates.rematch":
      await continueRematch(ctx, message);
      return;
    case "search.index":
      await indexRecording(ctx, message.userId, message.recordingId);
      return;
    case "search.rebuild":
      await rebuildIndexPage(ctx, message.userId, message.afterId);
      return;
    case "automation.run":
      await runAutomationJob(ctx, message);
      return;
    case "webhook.deliver":
      await deliverWebhook(ctx, message);
      return;
  }
}

export async function handleQueueBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = loadConfig(env);
  configureLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const deadLetters = batch.queue.endsWith(DEAD_LETTER_QUEUE_SUFFIX);
  const ctx = serviceContext(env);
  for (const message of batch.messages) {
    await withLogContext({ queue: batch.queue, taskId: message.id }, async () => {
      const parsed = pipelineMessageSchema.safeParse(message.body);
      if (!parsed.success) {
        // A malformed message can never succeed; retrying would only delay the dead letter.
        log.error("dropping malformed queue message", { issues: parsed.error.issues.map((i) => i.message) });
        message.ack();
        return;
      }
      if (deadLetters) {
        log.error("message exhausted its retries", { type: parsed.data.type, attempts: message.attempts, body: parsed.data });
        Sentry.captureMessage(`dead letter: ${parsed.data.type}`, "error");
        if (parsed.data.type === "pipeline.stage") {
          await abandonStage(ctx, parsed.data, "The stage could not be processed (its messages were dead-lettered)");
        }
        message.ack();
        return;
      }
      try {
        await dispatch(ctx, parsed.data);
        message.ack();
      } catch (error) {
        const delaySeconds = retryDelaySeconds(message.attempts);
        log.error("queue message failed; will retry", { type: parsed.data.type, attempts: message.attempts, delaySeconds, error });
        Sentry.captureException(error);
        message.retry({ delaySeconds });
      }
    });
  }
}

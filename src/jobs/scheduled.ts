import * as Sentry from "@sentry/cloudflare";
import { SessionsRepository } from "../db/repositories/sessions.repository";
import { usersWithWaitingRuns } from "../db/repositories/runs.repository";
import { findStalledStages } from "../db/repositories/stages.repository";
import { enqueue } from "../integrations/queue/pipeline-queue";
import { loadConfig } from "../lib/config";
import { configureLogger, log, withLogContext } from "../lib/logger";
import { automationTick } from "../services/automation/automation-runner";
import { serviceContext, type ServiceContext } from "../services/context";
import { deliverDueEmails } from "../services/email";
import { reencryptCredentials } from "../services/credentials/reencrypt";
import { admitQueuedRuns } from "../services/pipeline/run-lifecycle";
import { runRetentionSweeps } from "../services/retention/retention-sweep";
import { auditStorage } from "../services/retention/storage-audit";
import { flushNotifications } from "../services/notifications/flush";
import { requeueOverdueDeliveries } from "../services/webhooks/delivery.service";

const DAY_MS = 86_400_000;
export const DAILY_MAINTENANCE_CRON = "30 3 * * *";
export const PIPELINE_SWEEP_CRON = "*/5 * * * *";
export const RETENTION_SWEEP_CRON = "0 * * * *";
export const AUTOMATION_TICK_CRON = "* * * * *";

/** Re-enqueues stalled pipeline stages; their claim (an expired lease, or PENDING) lets one consumer take over. */
export async function reclaimStalledStages(ctx: ServiceContext, limit = 200): Promise<number> {
  const stalled = await findStalledStages(ctx.db, ctx.clock.now(), 15 * 60_000, limit);
  for (const { userId, recordingId, runId, stageType: stage } of stalled) {
    if (runId) await enqueue(ctx.env, { type: "pipeline.stage", userId, recordingId, runId, stage });
  }
  return stalled.length;
}

/** Starts queued runs whose wake-up was lost (a run normally starts the moment another one ends). */
export async function admitWaitingRuns(ctx: ServiceContext, limit = 100): Promise<number> {
  let started = 0;
  for (const userId of await usersWithWaitingRuns(ctx.db, ctx.clock.now(), 60_000, limit)) started += await admitQueuedRuns(ctx, userId);
  return started;
}

/** Revoked and expired sessions are kept 7 days for the user's own audit view, then purged. */
export async function purgeStaleSessions(ctx: ServiceContext, maxBatches = 20): Promise<number> {
  const repo = new SessionsRepository(ctx.db);
  let total = 0;
  for (let i = 0; i < maxBatches; i++) {
    const removed = await repo.purgeStale(ctx.clock.now(), 7 * DAY_MS, 500);
    total += removed;
    if (removed < 500) break;
  }
  return total;
}

export async function handleScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const config = loadConfig(env);
  configureLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  await withLogContext({ cron: controller.cron, taskId: `cron-${controller.scheduledTime}` }, async () => {
    const ctx = serviceContext(env);
    try {
      switch (controller.cron) {
        case DAILY_MAINTENANCE_CRON: {
          const sessions = await purgeStaleSessions(ctx);
          // Lazy key rotation: credentials sealed with an older key move to the newest one.
          const rotation = ctx.config.ENCRYPTION_KEYS ? await reencryptCredentials(ctx) : { resealed: 0, remaining: 0 };
          log.info("daily maintenance done", { purgedSessions: sessions, resealedCredentials: rotation.resealed });
          return;
        }
        case PIPELINE_SWEEP_CRON: {
          const reclaimed = await reclaimStalledStages(ctx);
          const admitted = await admitWaitingRuns(ctx);
          // Webhook deliveries whose message was lost, and the users' batched notification e-mails.
          const requeuedDeliveries = await requeueOverdueDeliveries(ctx);
          const notifications = await flushNotifications(ctx);
          log.info("pipeline sweep done", { reclaimedStages: reclaimed, admittedRuns: admitted, requeuedDeliveries, notificationEmails: notifications.sent });
          return;
        }
        case AUTOMATION_TICK_CRON: {
          const { claimed } = await automationTick(ctx);
          // E-mails a transport refused for now (timeout, 429, 5xx) are retried here once due.
          const emails = await deliverDueEmails(ctx);
          log.info("automation tick done", { claimedJobs: claimed.length, emailsAttempted: emails.attempted, emailsSent: emails.sent });
          return;
        }
        case RETENTION_SWEEP_CRON: {
          // Each sweep is bounded and logs its own counts; what is left continues next hour.
          await runRetentionSweeps(ctx);
          await auditStorage(ctx);
          return;
        }
        default:
          log.warn("no job for cron expression", { cron: controller.cron });
      }
    } catch (error) {
      log.error("scheduled job failed", { error });
      Sentry.captureException(error);
      throw error;
    }
  });
}

import * as Sentry from "@sentry/cloudflare";
import { SessionsRepository } from "../db/repositories/sessions.repository";
import { loadConfig } from "../lib/config";
import { configureLogger, log, withLogContext } from "../lib/logger";
import { serviceContext, type ServiceContext } from "../services/context";
import { reencryptCredentials } from "../services/credentials/reencrypt";

const DAY_MS = 86_400_000;
export const DAILY_MAINTENANCE_CRON = "30 3 * * *";

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

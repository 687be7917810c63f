import * as Sentry from "@sentry/cloudflare";
import { app } from "./app";
import { handleQueueBatch } from "./jobs/queue-consumer";
import { handleScheduled } from "./jobs/scheduled";
import { refusesToWork, UNSAFE_CONFIG_RETRY_SECONDS } from "./lib/config-safety";
import { redact } from "./lib/redact";

export { RateLimiter } from "./durable/rate-limiter";
export { ProviderQuota } from "./durable/provider-quota";
export { UserQuota } from "./durable/user-quota";
export { SearchIndex } from "./durable/search-index";
export { app };

const handler: ExportedHandler<Env> = {
  fetch: app.fetch,
  // With an unsafe configuration (lib/config-safety.ts) no background work runs either: queued
  // messages wait an hour per attempt (so a fixed deploy picks them up) and cron ticks are skipped
  // (the next tick and the pipeline sweep catch up).
  async queue(batch, env) {
    if (refusesToWork(env, "queue")) return batch.retryAll({ delaySeconds: UNSAFE_CONFIG_RETRY_SECONDS });
    await handleQueueBatch(batch, env);
  },
  async scheduled(controller, env) {
    if (refusesToWork(env, "scheduled")) return;
    await handleScheduled(controller, env);
  },
};

/** Sentry is a no-op without SENTRY_DSN: no client, no network. */
export default Sentry.withSentry(
  (env: Env) => ({
    dsn: env.SENTRY_DSN || undefined,
    environment: env.SENTRY_ENVIRONMENT || env.ENVIRONMENT,
    release: env.APP_VERSION,
    tracesSampleRate: 0,
    beforeSend: (event) => redact(event) as typeof event,
  }),
  handler,
);

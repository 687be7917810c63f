import * as Sentry from "@sentry/cloudflare";
import { app } from "./app";
import { handleQueueBatch } from "./jobs/queue-consumer";
import { handleScheduled } from "./jobs/scheduled";
import { redact } from "./lib/redact";

export { RateLimiter } from "./durable/rate-limiter";
export { ProviderQuota } from "./durable/provider-quota";
export { UserQuota } from "./durable/user-quota";
export { app };

const handler: ExportedHandler<Env> = {
  fetch: app.fetch,
  async queue(batch, env) {
    await handleQueueBatch(batch, env);
  },
  async scheduled(controller, env) {
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

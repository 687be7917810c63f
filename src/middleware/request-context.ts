import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { AppBindings } from "../app-types";
import { redactCapabilityPath } from "../lib/capability-paths";
import { configSafety } from "../lib/config-safety";
import { ulid } from "../lib/ids";
import { configureLogger, log, withLogContext } from "../lib/logger";

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Gives every request an id (the client's `X-Request-Id` when it is sane, else a new ULID),
 * echoes it back, runs the rest of the chain inside a log context, and writes one access-log
 * line with status and duration.
 */
export const requestContext = createMiddleware<AppBindings>(async (c, next) => {
  const started = Date.now();
  const incoming = c.req.header("X-Request-Id");
  const requestId = incoming && CLIENT_REQUEST_ID.test(incoming) ? incoming : ulid();
  c.set("requestId", requestId);
  // A configuration that does not parse leaves `config` unset: the config gate then answers 503.
  const { config } = configSafety(c.env);
  if (config) {
    c.set("config", config);
    configureLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  }

  await withLogContext({ requestId, method: c.req.method }, async () => {
    await next();
    c.header("X-Request-Id", requestId);
    const status = c.res.status;
    const fields = {
      route: routePath(c, -1),
      path: redactCapabilityPath(new URL(c.req.url).pathname),
      status,
      durationMs: Date.now() - started,
    };
    if (status >= 500) log.error("request failed", fields);
    else log.info("request", fields);
  });
});

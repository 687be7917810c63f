import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { configSafety } from "../lib/config-safety";
import { AppError } from "../lib/errors";
import { log } from "../lib/logger";
import { errorResponse } from "./error-handler";

/** The readiness probe reports the refusal itself (see routes/health), so it passes the gate. */
const READINESS_PATH = "/api/v1/health/ready";

/**
 * Refuses every request while the configuration is unsafe (see lib/config-safety.ts): 503 with a
 * generic message; the reasons go to the log only, so the response says nothing about secrets.
 */
export const configGate = createMiddleware<AppBindings>(async (c, next) => {
  const { problems } = configSafety(c.env);
  if (problems.length === 0 || c.req.path === READINESS_PATH) return next();
  log.error("request refused: unsafe configuration", { problems });
  return errorResponse(c, new AppError("SERVICE_UNAVAILABLE", "The service is unavailable: it is not configured safely"));
});

import { configSafety } from "../../lib/config-safety";
import { log } from "../../lib/logger";
import { checkReadiness } from "../../services/health/readiness";
import { createRouter } from "../router";
import * as routes from "./health.routes";

export const SERVICE_NAME = "Lecture Publisher API";

export const healthRouter = createRouter()
  .openapi(routes.liveness, (c) =>
    c.json({ status: "ok" as const, service: SERVICE_NAME, version: c.get("config").APP_VERSION }, 200),
  )
  .openapi(routes.readiness, async (c) => {
    const result = await checkReadiness(c.env);
    const { problems } = configSafety(c.env);
    if (problems.length > 0) {
      // The reasons name secrets' shortcomings: they go to the log, the public probe gets the verdict.
      log.error("not ready: unsafe configuration", { problems });
      const config = { status: "error" as const, latencyMs: 0, error: "configuration refused; the reasons are in the log" };
      return c.json({ status: "unavailable" as const, checks: { ...result.checks, config } }, 503);
    }
    return c.json(result, result.status === "ok" ? 200 : 503);
  });

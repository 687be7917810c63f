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
    return c.json(result, result.status === "ok" ? 200 : 503);
  });

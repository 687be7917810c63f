import type { OpenAPIHono } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import type { AppBindings } from "./app-types";
import contentSecurityPolicy from "./lib/content-security-policy.json";
import { requestBodyLimit } from "./middleware/body-limit";
import { configGate } from "./middleware/config-gate";
import { d1Session } from "./middleware/d1-session";
import { onError, onNotFound } from "./middleware/error-handler";
import { requestContext } from "./middleware/request-context";
import { authRouter } from "./routes/auth";
import { devRouter } from "./routes/dev";
import { docsPage } from "./routes/docs";
import { adminRouter } from "./routes/admin";
import { adminCredentialsRouter, credentialsRouter } from "./routes/credentials";
import { healthRouter, SERVICE_NAME } from "./routes/health";
import { oauthRouter } from "./routes/oauth";
import { ignoreTrailingSlashUnder } from "./routes/common/trailing-slash";
import { createRouter } from "./routes/router";
import { pipelineRouter, tasksRouter } from "./routes/pipeline";
import { presetsRouter } from "./routes/presets";
import { automationRouter } from "./routes/automation";
import { thumbnailsRouter } from "./routes/thumbnails";
import { recordingsRouter } from "./routes/recordings";
import { recordingMediaRouter, signedMediaRouter } from "./routes/media";
import { publicSharesRouter, sharesRouter } from "./routes/shares";
import { exportRouter } from "./routes/recordings/export.handlers";
import { uploadsRouter } from "./routes/recordings/uploads.handlers";
import { searchRouter } from "./routes/search";
import { sourcesRouter } from "./routes/sources";
import { templatesRouter } from "./routes/templates";
import { usersRouter } from "./routes/users";
import { webhooksRouter } from "./routes/webhooks";
import { webhookEndpointsRouter } from "./routes/webhook-endpoints";

export const API_PREFIX = "/api/v1";

export function createApp(): OpenAPIHono<AppBindings> {
  // LEAP's clients add a trailing slash to collection paths (`/api/v1/credentials/`): routed as without it.
  const app = createRouter({ getPath: ignoreTrailingSlashUnder(API_PREFIX) });

  app.use("*", requestContext);
  // One policy for every response the Worker makes (static assets get the same from web/dist/_headers):
  // scripts only from our own origin, so neither an inline injection nor a third-party bundle runs.
  app.use("*", secureHeaders({ crossOriginResourcePolicy: false, xFrameOptions: "DENY", contentSecurityPolicy }));
  app.use(
    "*",
    cors({
      origin: (origin, c) => {
        const allowed = (c.env as Env).CORS_ORIGINS ?? "*";
        if (allowed.trim() === "*") return "*";
        return allowed.split(",").map((o) => o.trim()).includes(origin) ? origin : null;
      },
      exposeHeaders: ["X-Request-Id", "Retry-After", "X-RateLimit-Limit", "X-D1-Bookmark"],
      maxAge: 600,
    }),
  );
  app.use("*", configGate);
  app.use("*", requestBodyLimit);
  app.use("*", d1Session);

  app.get("/", (c) => c.json({ message: SERVICE_NAME, version: c.get("config").APP_VERSION, docs: "/docs" }));
  app.route(`${API_PREFIX}/health`, healthRouter);
  app.route(`${API_PREFIX}/auth`, authRouter);
  app.route(`${API_PREFIX}/users`, usersRouter);
  app.route(`${API_PREFIX}/recordings`, exportRouter);
  app.route(`${API_PREFIX}/recordings`, uploadsRouter);
  app.route(`${API_PREFIX}/recordings`, pipelineRouter);
  app.route(`${API_PREFIX}/recordings`, recordingsRouter);
  app.route(`${API_PREFIX}/recordings`, recordingMediaRouter);
  app.route(`${API_PREFIX}/recordings`, sharesRouter);
  app.route(`${API_PREFIX}/media`, signedMediaRouter);
  app.route(`${API_PREFIX}/public/shares`, publicSharesRouter);
  app.route(`${API_PREFIX}/tasks`, tasksRouter);
  app.route(`${API_PREFIX}/presets`, presetsRouter);
  app.route(`${API_PREFIX}/automation/jobs`, automationRouter);
  app.route(`${API_PREFIX}/thumbnails`, thumbnailsRouter);
  app.route(`${API_PREFIX}/templates`, templatesRouter);
  app.route(`${API_PREFIX}/sources`, sourcesRouter);
  app.route(`${API_PREFIX}/search`, searchRouter);
  app.route(`${API_PREFIX}/credentials`, credentialsRouter);
  app.route(`${API_PREFIX}/admin/credentials`, adminCredentialsRouter);
  app.route(`${API_PREFIX}/admin`, adminRouter);
  app.route(`${API_PREFIX}/webhooks/endpoints`, webhookEndpointsRouter);
  app.route(`${API_PREFIX}/webhooks`, webhooksRouter);
  app.route(`${API_PREFIX}/oauth`, oauthRouter);
  app.route(`${API_PREFIX}/dev`, devRouter);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Access token from POST /api/v1/auth/login",
  });
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: SERVICE_NAME,
      version: c.get("config").APP_VERSION,
      description:
        "Turns Zoom cloud recordings into published lecture videos. Errors always use the envelope " +
        '`{"error":{"code","message","requestId","details"?}}`.',
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  app.get("/docs", docsPage);

  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}

export const app = createApp();

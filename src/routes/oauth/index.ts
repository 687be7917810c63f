import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { serviceContext } from "../../services/context";
import { finishConnect, startConnect } from "../../services/oauth/connect";
import { OAUTH_PLATFORMS } from "../../services/oauth/providers";
import { authErrors, errorResponse, jsonContent } from "../common/schemas";
import { createRouter } from "../router";

const PlatformParam = z.object({ platform: z.enum(OAUTH_PLATFORMS) });

export const authorize = createRoute({
  tags: ["OAuth"],
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth, apiRateLimit],
  method: "get",
  path: "/{platform}/authorize",
  summary: "Start connecting an account: returns the provider's authorization URL",
  request: { params: PlatformParam },
  responses: {
    200: jsonContent(
      z.object({ authorization_url: z.string(), state: z.string(), expires_in: z.number().int(), platform: z.string() }),
      "Send the user's browser to authorization_url",
    ),
    503: errorResponse("This provider's OAuth app is not configured"),
    ...authErrors,
  },
});

export const callback = createRoute({
  tags: ["OAuth"],
  method: "get",
  path: "/{platform}/callback",
  summary: "Provider redirect target: stores the tokens as a credential, then redirects the browser",
  request: {
    params: PlatformParam,
    // Loose: the provider builds this redirect and adds what it likes (Google: scope, authuser, prompt…).
    query: z.looseObject({
      code: z.string().max(2000).optional(),
      state: z.string().max(500).optional(),
      error: z.string().max(200).optional(),
      /** VK ID: the device its grant is bound to (sent back with every token request). */
      device_id: z.string().max(500).optional(),
    }),
  },
  responses: { 302: { description: "To OAUTH_RESULT_REDIRECT_URL with ?oauth_success=true or ?oauth_error=…" } },
});

export const oauthRouter = createRouter()
  .openapi(authorize, async (c) => {
    const { platform } = c.req.valid("param");
    const started = await startConnect(serviceContext(c.env), c.get("auth"), platform, new URL(c.req.url).origin);
    return c.json({ authorization_url: started.authorizationUrl, state: started.state, expires_in: started.expiresIn, platform }, 200);
  })
  .openapi(callback, async (c) => {
    const { platform } = c.req.valid("param");
    const ctx = serviceContext(c.env);
    const outcome = await finishConnect(ctx, platform, c.req.valid("query"));
    const target = new URL(ctx.config.OAUTH_RESULT_REDIRECT_URL, new URL(c.req.url).origin);
    target.searchParams.set("platform", platform);
    if (outcome.ok) {
      target.searchParams.set("oauth_success", "true");
      target.searchParams.set("credential_id", String(outcome.credentialId));
    } else {
      target.searchParams.set("oauth_error", outcome.error);
    }
    return c.redirect(target.toString(), 302);
  });

import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { userConfigPatchSchema } from "../../services/config/user-config.schema";
import { authErrors, jsonBody, jsonContent } from "../common/schemas";

const authed = { tags: ["User config"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };

export const UserConfigSchema = z
  .object({
    user_id: z.string(),
    config_data: z.record(z.string(), z.unknown()).openapi({ description: "Effective config: defaults with your overrides" }),
    overrides: z.record(z.string(), z.unknown()).openapi({ description: "Only what you changed" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("UserConfig");

const ok = { 200: jsonContent(UserConfigSchema, "The configuration"), ...authErrors };

export const getConfig = createRoute({ ...authed, method: "get", path: "/me/config", summary: "Your configuration", responses: ok });

export const patchConfig = createRoute({
  ...authed,
  method: "patch",
  path: "/me/config",
  summary: "Change settings (JSON Merge Patch: objects merge, null resets a key to the default)",
  request: { body: jsonBody(userConfigPatchSchema) },
  responses: ok,
});

export const resetConfig = createRoute({
  ...authed,
  method: "post",
  path: "/me/config/reset",
  summary: "Drop every override (back to the defaults)",
  responses: ok,
});

import { createRoute, z } from "@hono/zod-openapi";
import { CREDENTIAL_PLATFORMS } from "../../db/schema";
import { requireAdmin, requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { authErrors, errorResponse, jsonBody, jsonContent } from "../common/schemas";

const authed = { tags: ["Credentials"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const IdParam = z.object({ id: z.coerce.number().int().positive() });
const notFound = errorResponse("No such credential of the caller");
const duplicate = errorResponse("A credential for this account already exists");
const Payload = z.record(z.string(), z.unknown()).openapi({
  description: "Platform-specific secrets, e.g. zoom {account_id, client_id, client_secret, webhook_secret_token?}; never returned",
});

export const CredentialSchema = z
  .object({
    id: z.number().int(),
    platform: z.enum(CREDENTIAL_PLATFORMS),
    account_name: z.string().nullable(),
    hint: z.string().openapi({ description: "Last four characters of the main secret", example: "••••x9Pq" }),
    is_active: z.boolean(),
    needs_reauth: z.boolean(),
    status_reason: z.string().nullable(),
    last_used_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Credential");

/** LEAP's `include_data`: false is what this API always does; true (decrypted secrets in the answer) is refused. */
const IncludeDataQuery = z
  .enum(["true", "false"])
  .refine((v) => v === "false", "secrets are never returned; include_data=true is not supported")
  .optional()
  .openapi({ description: "Accepted for LEAP clients: only `false` (secrets are never returned)" });

export const list = createRoute({
  ...authed,
  method: "get",
  path: "/",
  summary: "List credentials (secrets are never returned)",
  description: "Also answers at LEAP's `/api/v1/credentials/` (a trailing slash is ignored under /api/v1).",
  request: { query: z.object({ platform: z.enum(CREDENTIAL_PLATFORMS).optional(), include_data: IncludeDataQuery }) },
  responses: { 200: jsonContent(z.array(CredentialSchema), "Credentials (a bare array, as LEAP)"), ...authErrors },
});

export const create = createRoute({
  ...authed,
  method: "post",
  path: "/",
  summary: "Store a credential, encrypted (AES-256-GCM)",
  request: {
    body: jsonBody(
      z
        .object({ platform: z.enum(CREDENTIAL_PLATFORMS), account_name: z.string().trim().max(255).nullable().optional(), credentials: Payload })
        .strict()
        .openapi("CredentialCreate"),
    ),
  },
  responses: { 201: jsonContent(CredentialSchema, "Stored"), 409: duplicate, ...authErrors },
});

export const status = createRoute({
  ...authed,
  method: "get",
  path: "/status",
  summary: "Which platforms have a usable credential (LEAP's credentials status)",
  description:
    "A platform is available when it has an active credential that does not need re-authorisation. " +
    "`credentials_status` carries LEAP's keys (`vk_video` is VK; `google_drive` is always false) and this API's platform names.",
  responses: {
    200: jsonContent(
      z
        .object({
          user_id: z.string(),
          available_platforms: z.array(z.enum(CREDENTIAL_PLATFORMS)),
          credentials_status: z.record(z.string(), z.boolean()).openapi({ example: { zoom: true, youtube: false, vk_video: false, vk: false, google_drive: false } }),
          needs_reauth: z.array(z.enum(CREDENTIAL_PLATFORMS)).openapi({ description: "Platforms whose only active credentials must be connected again" }),
        })
        .openapi("CredentialsStatus"),
      "Per-platform availability",
    ),
    ...authErrors,
  },
});

export const get = createRoute({
  ...authed,
  method: "get",
  path: "/{id}",
  summary: "One credential (no secrets)",
  request: { params: IdParam, query: z.object({ include_data: IncludeDataQuery }) },
  responses: { 200: jsonContent(CredentialSchema, "The credential"), 404: notFound, ...authErrors },
});

export const update = createRoute({
  ...authed,
  method: "patch",
  path: "/{id}",
  summary: "Rename, (de)activate, or replace the secrets (validated like create)",
  request: {
    params: IdParam,
    body: jsonBody(
      z
        .object({ account_name: z.string().trim().max(255).nullable().optional(), is_active: z.boolean().optional(), credentials: Payload.optional() })
        .strict()
        .refine((b) => Object.keys(b).length > 0, "at least one field is required")
        .openapi("CredentialUpdate"),
    ),
  },
  responses: { 200: jsonContent(CredentialSchema, "Updated"), 404: notFound, 409: duplicate, ...authErrors },
});

export const remove = createRoute({
  ...authed,
  method: "delete",
  path: "/{id}",
  summary: "Delete a credential (sources using it keep existing, without a credential)",
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, 404: notFound, ...authErrors },
});

export const test = createRoute({
  ...authed,
  method: "post",
  path: "/{id}/test",
  summary: "Test the connection (Zoom: GET /users/me); a rejection marks the credential for re-authorisation",
  request: { params: IdParam },
  responses: {
    200: jsonContent(z.object({ ok: z.boolean(), account: z.string().nullable(), reason: z.string().nullable() }), "Test outcome"),
    404: notFound,
    502: errorResponse("The provider is unavailable"),
    ...authErrors,
  },
});

export const reencrypt = createRoute({
  tags: ["Admin"],
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth, requireAdmin],
  method: "post",
  path: "/reencrypt",
  summary: "Key rotation: re-seal up to `limit` credentials with the newest key (repeat until remaining is 0)",
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
  responses: {
    200: jsonContent(z.object({ resealed: z.number().int(), remaining: z.number().int() }), "Progress"),
    ...authErrors,
  },
});

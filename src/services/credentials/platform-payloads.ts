import { z } from "zod";
import type { CredentialPlatform } from "../../db/schema";
import { outboundRefusal, STRICT_OUTBOUND_POLICY } from "../../lib/outbound-policy";

const secret = (min: number) => z.string().trim().min(min).max(4096);
/**
 * A provider base URL the tenant chooses: their API key and audio go there, so it passes the
 * outbound policy at save (strict: no development exceptions for stored URLs) and again at use.
 */
const baseUrl = z
  .string()
  .trim()
  .max(500)
  .superRefine((value, ctx) => {
    const refusal = outboundRefusal(value, STRICT_OUTBOUND_POLICY);
    if (refusal) ctx.addIssue({ code: "custom", message: refusal.message, params: { rule: refusal.rule } });
  });
const webhookSecret = secret(8).optional();

/** Zoom: Server-to-Server OAuth, or a user OAuth token set (from the connect flow). */
const zoom = z.union([
  z
    .object({
      account_id: secret(5),
      client_id: secret(5),
      client_secret: secret(10),
      account: z.string().max(255).optional(),
      webhook_secret_token: webhookSecret,
    })
    .strict(),
  z
    .object({
      access_token: secret(10),
      refresh_token: secret(10).optional(),
      client_id: secret(5).optional(),
      client_secret: secret(10).optional(),
      expiry: z.iso.datetime().optional(),
      scope: z.string().max(1000).optional(),
      account: z.string().max(255).optional(),
      webhook_secret_token: webhookSecret,
    })
    .strict(),
]);

/** A user's own Google client, or (connected through /oauth/youtube) this server's app: no client fields. */
const youtube = z
  .object({
    client_id: secret(5).optional(),
    client_secret: secret(10).optional(),
    refresh_token: secret(10).optional(),
    access_token: secret(10).optional(),
    expiry: z.iso.datetime().optional(),
    scope: z.string().max(1000).optional(),
    account: z.string().max(255).optional(),
  })
  .strict();

const vk = z
  .object({
    access_token: secret(10),
    refresh_token: secret(10).optional(),
    client_id: z.string().max(50).optional(),
    client_secret: secret(10).optional(),
    /** VK ID grants are bound to the device they were issued to; a refresh sends it back. */
    device_id: z.string().max(500).optional(),
    user_id: z.union([z.string(), z.number()]).optional(),
    group_id: z.number().int().positive().optional(),
    expiry: z.iso.datetime().optional(),
  })
  .strict();

const yandexDisk = z
  .object({ oauth_token: secret(10), refresh_token: secret(10).optional(), account: z.string().max(255).optional() })
  .strict();

const apiKeyFields = { api_key: secret(10), base_url: baseUrl.optional(), model: z.string().max(200).optional() };
const apiKey = z.object(apiKeyFields).strict();
/** Fireworks' batch transcription API addresses jobs by account. */
const fireworks = z.object({ ...apiKeyFields, account_id: z.string().trim().min(1).max(200).optional() }).strict();

export const PAYLOAD_SCHEMAS: Record<CredentialPlatform, z.ZodType<Record<string, unknown>>> = {
  zoom,
  youtube,
  vk,
  yandex_disk: yandexDisk,
  fireworks,
  assemblyai: apiKey,
  openai: apiKey,
  deepseek: apiKey,
};

const str = (v: unknown): string => (typeof v === "string" || typeof v === "number" ? String(v) : "");

/**
 * What identifies the account behind a payload (for duplicate detection; LEAP's check was
 * swallowed), which secret gets a masked hint, and a default account name.
 */
export function describePayload(platform: CredentialPlatform, p: Record<string, unknown>) {
  switch (platform) {
    case "zoom":
      return p.account_id
        ? { identity: `s2s:${str(p.account_id)}:${str(p.client_id)}`, hintOf: str(p.client_id), accountName: str(p.account) || null }
        : { identity: `oauth:${str(p.account) || str(p.refresh_token) || str(p.access_token)}`, hintOf: str(p.access_token), accountName: str(p.account) || null };
    case "youtube":
      return { identity: `${str(p.client_id)}:${str(p.refresh_token)}`, hintOf: str(p.client_id), accountName: str(p.account) || null };
    case "vk":
      // A VK ID grant names its account (its tokens rotate); a bare token is its own identity.
      return p.user_id !== undefined
        ? { identity: `user:${str(p.user_id)}:${str(p.group_id)}`, hintOf: str(p.access_token), accountName: p.group_id ? `group_${str(p.group_id)}` : `vk:${str(p.user_id)}` }
        : { identity: str(p.access_token), hintOf: str(p.access_token), accountName: p.group_id ? `group_${str(p.group_id)}` : null };
    case "yandex_disk":
      return { identity: str(p.oauth_token), hintOf: str(p.oauth_token), accountName: str(p.account) || null };
    default:
      return { identity: `${str(p.base_url)}:${str(p.api_key)}`, hintOf: str(p.api_key), accountName: null };
  }
}

export const maskedHint = (value: string): string => `••••${value.slice(-4)}`;

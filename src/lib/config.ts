import { z } from "zod";

/**
 * Typed view of the Worker's environment variables and secrets. Parsed once per `env` object
 * (i.e. once per isolate in production) so a typo in configuration fails loudly and early,
 * instead of surfacing as a subtle default deep in a request.
 */
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const configSchema = z.object({
  ENVIRONMENT: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters"),
  ACCESS_TOKEN_TTL_SECONDS: int(60, 86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: int(3_600, 90 * 86_400).default(7 * 86_400),
  PASSWORD_PBKDF2_ITERATIONS: int(10_000, 100_000).default(100_000),
  RATE_LIMIT_ENABLED: bool.default(true),
  RATE_LIMIT_API_PER_MINUTE: int(1, 100_000).default(300),
  /** Failed sign-ins (wrong password, unknown e-mail) per client address per window; successes never count. */
  RATE_LIMIT_AUTH_PER_WINDOW: int(1, 100_000).default(100),
  /** That window; also how long a quiet account keeps its failure count. */
  RATE_LIMIT_AUTH_WINDOW_SECONDS: int(1, 86_400).default(900),
  /** Consecutive failed sign-ins an account absorbs before each further attempt must wait. */
  AUTH_MAX_FAILURES_PER_ACCOUNT: int(1, 1_000).default(5),
  /** The first wait; it doubles with each further failure, up to AUTH_LOCK_MAX_SECONDS. */
  AUTH_LOCK_BASE_SECONDS: int(1, 3_600).default(1),
  AUTH_LOCK_MAX_SECONDS: int(1, 86_400).default(900),
  /** Registrations per client address per hour (a campus shares one NAT address). */
  AUTH_REGISTRATIONS_PER_IP_PER_HOUR: int(1, 100_000).default(100),
  MAX_JSON_BODY_BYTES: int(1_024, 100 * 1024 * 1024).default(1024 * 1024),
  /** A file sent as the request body streams straight to R2; larger files use upload sessions. */
  MAX_DIRECT_UPLOAD_BYTES: int(1_024, 500 * 1024 * 1024).default(100 * 1024 * 1024),
  /** multipart/form-data uploads (LEAP's `file` field) are parsed in memory, so they stay small. */
  MAX_FORM_UPLOAD_BYTES: int(1_024, 64 * 1024 * 1024).default(32 * 1024 * 1024),
  /** Download stage: R2 part size (all parts equal, ≥ 5 MiB) and at most this many parts per queue message. */
  DOWNLOAD_PART_BYTES: int(5 * 1024 * 1024, 95 * 1024 * 1024).default(16 * 1024 * 1024),
  DOWNLOAD_PARTS_PER_MESSAGE: int(1, 64).default(64),
  /**
   * Wall time one queue message may keep working: a chunked transfer starts no new part after it
   * (nor the next stage in the same invocation), whatever its part cap still allows.
   */
  STAGE_STEP_BUDGET_SECONDS: int(1, 600).default(25),
  /** First retry delay of a failed pipeline step (doubles per attempt, with jitter). */
  PIPELINE_RETRY_BASE_SECONDS: int(1, 600).default(10),
  MAX_UPLOAD_BYTES: int(1_024, 5 * 1024 ** 4).default(50 * 1024 ** 3),
  CORS_ORIGINS: z.string().default("*"),
  BOOTSTRAP_ADMIN_EMAIL: z.string().default(""),
  /** `keyId:base64(32 bytes)` pairs, newest first (see lib/secret-box.ts). */
  ENCRYPTION_KEYS: z.string().default(""),
  SENTRY_DSN: z.string().default(""),
  SENTRY_ENVIRONMENT: z.string().default(""),
  APP_VERSION: z.string().default("0.1.0"),
  /** External API hosts come from configuration so local runs and tests can point at fakes. */
  ZOOM_API_BASE_URL: z.url().default("https://api.zoom.us/v2"),
  ZOOM_OAUTH_BASE_URL: z.url().default("https://zoom.us"),
  /**
   * Hosts a Zoom download URL may name and the only hosts a Zoom download token is sent to
   * (comma list; `*.zoom.us` matches names below zoom.us). Any other host is refused at ingest.
   */
  ZOOM_DOWNLOAD_HOSTS: z.string().default("zoom.us,*.zoom.us,zoomgov.com,*.zoomgov.com"),
  /**
   * Development only: hosts tenant-influenced URLs may reach over plain http (comma list, may
   * carry a port). Outside production a listed host also skips the private-address rules.
   */
  OUTBOUND_HTTP_ALLOW_HOSTS: z.string().default(""),
  /** The platform's Zoom OAuth app (user-level connect flow). */
  ZOOM_OAUTH_CLIENT_ID: z.string().default(""),
  ZOOM_OAUTH_CLIENT_SECRET: z.string().default(""),
  /**
   * R2's S3 endpoint and an API token with read access, for presigned GET URLs that hand audio to a
   * transcription provider by URL (`https://<account>.r2.cloudflarestorage.com`). Without them,
   * audio is streamed to providers that take uploads, and URL-only providers are unavailable.
   */
  R2_S3_ENDPOINT: z.url().default("https://r2.invalid"),
  R2_BUCKET_NAME: z.string().default("lecture-media"),
  R2_ACCESS_KEY_ID: z.string().default(""),
  R2_SECRET_ACCESS_KEY: z.string().default(""),
  /** Lifetime of a presigned audio URL: long enough for the provider to fetch it, no longer. */
  PRESIGNED_URL_TTL_SECONDS: int(60, 7 * 86_400).default(3_600),
  /** Lifetime of a signed media URL (GET /recordings/{id}/media/{kind}, share links): enough to start playing, no longer. */
  MEDIA_URL_TTL_SECONDS: int(30, 86_400).default(600),
  /** Provider endpoints (config, so tests and local runs point at fakes). */
  FIREWORKS_AUDIO_BASE_URL: z.url().default("https://audio-turbo.api.fireworks.ai"),
  FIREWORKS_BATCH_BASE_URL: z.url().default("https://audio-batch.api.fireworks.ai"),
  ASSEMBLYAI_BASE_URL: z.url().default("https://api.assemblyai.com"),
  OPENAI_BASE_URL: z.url().default("https://api.openai.com"),
  DEEPSEEK_BASE_URL: z.url().default("https://api.deepseek.com"),
  FIREWORKS_LLM_BASE_URL: z.url().default("https://api.fireworks.ai/inference/v1"),
  /** Publishing endpoints (config, so tests and local runs point at fakes). */
  YOUTUBE_API_BASE_URL: z.url().default("https://www.googleapis.com"),
  YOUTUBE_UPLOAD_BASE_URL: z.url().default("https://www.googleapis.com"),
  /**
   * Where a published video is watched: its link is `<this>/watch?v=<video id>`. Only a local
   * sandbox changes it (to its YouTube simulator), so "published" links open the simulator's page.
   */
  YOUTUBE_WATCH_BASE_URL: z.url().default("https://www.youtube.com"),
  GOOGLE_OAUTH_TOKEN_URL: z.url().default("https://oauth2.googleapis.com/token"),
  GOOGLE_OAUTH_AUTHORIZE_URL: z.url().default("https://accounts.google.com/o/oauth2/auth"),
  /** The platform's Google OAuth app for the YouTube connect flow (empty: connect answers 503). */
  YOUTUBE_OAUTH_CLIENT_ID: z.string().default(""),
  YOUTUBE_OAUTH_CLIENT_SECRET: z.string().default(""),
  VK_API_BASE_URL: z.url().default("https://api.vk.com"),
  /** VK ID (connect flow and token refresh; VK ID access tokens live one hour). A public PKCE client: no secret. */
  VK_ID_AUTHORIZE_URL: z.url().default("https://id.vk.com/authorize"),
  VK_ID_TOKEN_URL: z.url().default("https://id.vk.ru/oauth2/auth"),
  VK_ID_CLIENT_ID: z.string().default(""),
  /** Yandex OAuth for the Yandex Disk connect flow (empty client: connect answers 503). */
  YANDEX_OAUTH_BASE_URL: z.url().default("https://oauth.yandex.ru"),
  YANDEX_OAUTH_CLIENT_ID: z.string().default(""),
  YANDEX_OAUTH_CLIENT_SECRET: z.string().default(""),
  YANDEX_DISK_API_BASE_URL: z.url().default("https://cloud-api.yandex.net"),
  /** YouTube resumable upload: chunk size (a multiple of 256 KiB) and chunks per queue message. */
  YOUTUBE_CHUNK_BYTES: int(256 * 1024, 256 * 1024 * 1024).default(32 * 1024 * 1024),
  YOUTUBE_CHUNKS_PER_MESSAGE: int(1, 64).default(16),
  /**
   * VK: files up to this size go in one multipart POST (OK.ru's uploader takes ≤ 2 GB that way);
   * larger ones in resumable Content-Range chunks, several per queue message.
   */
  VK_SINGLE_UPLOAD_MAX_BYTES: int(256 * 1024, 2_000_000_000).default(2_000_000_000),
  VK_CHUNK_BYTES: int(256 * 1024, 256 * 1024 * 1024).default(32 * 1024 * 1024),
  VK_CHUNKS_PER_MESSAGE: int(1, 64).default(16),
  /** Uploads a YouTube API project may make per Pacific day (set it to what the project's quota allows). */
  YOUTUBE_DAILY_UPLOADS: int(1, 100_000).default(100),
  /** How long one provider request may take (a long lecture's synchronous transcription takes minutes; a consumer has 15). */
  PROVIDER_TIMEOUT_SECONDS: int(1, 900).default(840),
  /** How often an asynchronous transcription job is polled, and how long it may take. */
  TRANSCRIPTION_POLL_SECONDS: int(1, 600).default(15),
  TRANSCRIPTION_MAX_WAIT_SECONDS: int(60, 6 * 3_600).default(3 * 3_600),
  /** Public base URL of this API (for OAuth redirect URIs); empty = the request's origin. */
  PUBLIC_BASE_URL: z.string().default(""),
  /** Where the browser lands after an OAuth callback (gets ?oauth_success / ?oauth_error). */
  OAUTH_RESULT_REDIRECT_URL: z.string().default("/connections"),
  /**
   * E-mail (services/email): "outbox" writes messages to R2 under outbox/ and lists them at
   * GET /api/v1/dev/outbox (development/test only); "resend" sends through Resend's HTTP API.
   */
  EMAIL_TRANSPORT: z.enum(["outbox", "resend"]).default("outbox"),
  EMAIL_API_BASE_URL: z.url().default("https://api.resend.com"),
  EMAIL_API_KEY: z.string().default(""),
  EMAIL_FROM: z.string().min(3).default("Lecture Publisher <no-reply@lecture-publisher.invalid>"),
  EMAIL_TIMEOUT_SECONDS: int(1, 60).default(10),
  /** Delivery attempts of one message (the first included) before it is marked failed. */
  EMAIL_MAX_ATTEMPTS: int(1, 50).default(8),
  /** Where links in e-mails point (the dashboard); empty = PUBLIC_BASE_URL, else the request's origin. */
  EMAIL_LINK_BASE_URL: z.string().default(""),
  EMAIL_VERIFICATION_TTL_SECONDS: int(300, 30 * 86_400).default(48 * 3_600),
  PASSWORD_RESET_TTL_SECONDS: int(300, 86_400).default(1_800),
  /** forgot-password / resend-verification requests per client address and per e-mail per hour. */
  AUTH_EMAIL_REQUESTS_PER_IP_PER_HOUR: int(1, 100_000).default(20),
  AUTH_EMAIL_REQUESTS_PER_ADDRESS_PER_HOUR: int(1, 1_000).default(5),
  /**
   * Outbound webhooks: delays (seconds, each ≤ 12 h, the queue's limit) before each retry of a
   * failed delivery; after the last one the delivery gives up. Default: 10 attempts over ≈ 23.6 h.
   */
  WEBHOOK_RETRY_SCHEDULE_SECONDS: z
    .string()
    .default("5,60,300,1800,3600,7200,14400,21600,36000")
    .transform((v, ctx) => {
      const delays = v.split(",").map((d) => Number(d.trim()));
      if (delays.length > 20 || delays.some((d) => !Number.isInteger(d) || d < 1 || d > 43_200)) {
        ctx.addIssue({ code: "custom", message: "a comma list of at most 20 whole seconds, each 1–43200" });
      }
      return delays;
    }),
  WEBHOOK_TIMEOUT_SECONDS: int(1, 60).default(15),
  /** An endpoint is disabled when this many deliveries in a row gave up … */
  WEBHOOK_DISABLE_AFTER_FAILURES: int(1, 1_000).default(5),
  /** … or when a delivery gives up and nothing has succeeded for this long. */
  WEBHOOK_DISABLE_AFTER_SECONDS: int(60, 30 * 86_400).default(86_400),
  WEBHOOK_MAX_ENDPOINTS_PER_USER: int(1, 1_000).default(20),
  /** E-mail notifications of one user are sent as one message once the oldest is this old. */
  NOTIFICATION_BATCH_WINDOW_SECONDS: int(0, 86_400).default(3_600),
  /** A monthly allowance this full (percent) sends a "quota nearly used" notification. */
  QUOTA_NEARLY_USED_PERCENT: int(1, 100).default(90),
  /** Rows read per keyset page while streaming a recordings export. */
  EXPORT_BATCH_SIZE: int(10, 1_000).default(200),
});

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid configuration: ${issues.join("; ")}`);
    this.name = "ConfigError";
  }
}

const cache = new WeakMap<object, AppConfig>();

/**
 * The same variables with other bindings (a request's D1 session): the derived object shares the
 * parsed config instead of parsing it again on every request.
 */
export function deriveEnv<T extends object>(env: T, bindings: Partial<T>): T {
  const derived = { ...env, ...bindings };
  const cached = cache.get(env);
  if (cached) cache.set(derived, cached);
  return derived;
}

/** Reads only string variables; bindings (D1, R2, …) are objects and are ignored. */
export function loadConfig(env: object): AppConfig {
  const cached = cache.get(env);
  if (cached) return cached;
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (typeof value === "string" && value !== "") raw[key] = value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  cache.set(env, parsed.data);
  return parsed.data;
}

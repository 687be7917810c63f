// Secrets and optional variables that `wrangler types` cannot see (they live in .dev.vars locally
// and in `wrangler secret put` in production). Bindings and [vars] are in worker-configuration.d.ts.
declare namespace Cloudflare {
  interface Env {
    JWT_SECRET: string;
    ENCRYPTION_KEYS?: string;
    ZOOM_OAUTH_CLIENT_SECRET?: string;
    SENTRY_DSN?: string;
    SENTRY_ENVIRONMENT?: string;
    PASSWORD_PBKDF2_ITERATIONS?: string;
    APP_VERSION?: string;
    YOUTUBE_OAUTH_CLIENT_SECRET?: string;
    R2_ACCESS_KEY_ID?: string;
    R2_SECRET_ACCESS_KEY?: string;
    MEDIA_URL_TTL_SECONDS?: string;
    EMAIL_API_KEY?: string;
    /** `[[ratelimits]]` in wrangler.toml: the per-user API limit (see services/api-rate-limit.ts). */
    API_RATE_LIMITER: RateLimit;
    /** Workers AI: optional; add `[ai] binding = "AI"` to wrangler.toml to enable the workers-ai providers. */
    AI?: Ai;
  }
}

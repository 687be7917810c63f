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
    /** Workers AI: optional; add `[ai] binding = "AI"` to wrangler.toml to enable the workers-ai providers. */
    AI?: Ai;
  }
}

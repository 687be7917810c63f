import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        main: "./src/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // The binding's limit is fixed per deployment: here it matches RATE_LIMIT_API_PER_MINUTE below.
          ratelimits: { API_RATE_LIMITER: { simple: { limit: 120, period: 60 } } },
          bindings: {
            TEST_MIGRATIONS: migrations,
            ENVIRONMENT: "test",
            JWT_SECRET: "test-secret-0123456789-0123456789-abcdef",
            // Test-only keys (newest first). Never use these anywhere else.
            ENCRYPTION_KEYS: "t2:Lcv6O1Vx7g8d00d1h6L6eecUcIYaaR5vGh2Km8pnWxk=,t1:B3ePsGVh6yTPGBYZxkirySi7f4nnl5V5Kgf6PGiuLek=",
            // Every variable is pinned here so a developer's .dev.vars cannot change test results.
            ZOOM_OAUTH_CLIENT_ID: "oauth-app-client",
            ZOOM_OAUTH_CLIENT_SECRET: "oauth-app-secret-123",
            // The fake Zoom serves downloads at zoom.fake; webhook fixtures name us06web.zoom.us.
            ZOOM_DOWNLOAD_HOSTS: "zoom.fake,zoom.us,*.zoom.us",
            OUTBOUND_HTTP_ALLOW_HOSTS: "",
            OAUTH_RESULT_REDIRECT_URL: "https://app.example.test/settings/platforms",
            DOWNLOAD_PART_BYTES: String(5 * 1024 * 1024),
            DOWNLOAD_PARTS_PER_MESSAGE: "2",
            STAGE_STEP_BUDGET_SECONDS: "25",
            PIPELINE_RETRY_BASE_SECONDS: "1",
            LOG_LEVEL: "debug",
            LOG_FORMAT: "json",
            SENTRY_DSN: "",
            PASSWORD_PBKDF2_ITERATIONS: "100000",
            RATE_LIMIT_ENABLED: "true",
            RATE_LIMIT_AUTH_WINDOW_SECONDS: "900",
            ACCESS_TOKEN_TTL_SECONDS: "900",
            REFRESH_TOKEN_TTL_SECONDS: "604800",
            MAX_JSON_BODY_BYTES: "1048576",
            BOOTSTRAP_ADMIN_EMAIL: "first-admin@example.test",
            // Failed sign-ins per address per window (8), and per account before delays start (7):
            // small, so the limits are reached quickly; the base delay is long enough that a lock
            // cannot expire between two requests of a test (tests move time with a service clock).
            RATE_LIMIT_AUTH_PER_WINDOW: "8",
            AUTH_MAX_FAILURES_PER_ACCOUNT: "7",
            AUTH_LOCK_BASE_SECONDS: "30",
            AUTH_LOCK_MAX_SECONDS: "900",
            AUTH_REGISTRATIONS_PER_IP_PER_HOUR: "40",
            RATE_LIMIT_API_PER_MINUTE: "120",
            // Providers and R2's S3 endpoint point at the fakes in test/fakes.
            R2_S3_ENDPOINT: "https://r2.fake",
            R2_BUCKET_NAME: "lecture-media",
            R2_ACCESS_KEY_ID: "AKIDFAKE0000000000000",
            R2_SECRET_ACCESS_KEY: "fake-r2-secret-0123456789abcdefghijklmnop",
            FIREWORKS_AUDIO_BASE_URL: "https://audio.fireworks.fake",
            FIREWORKS_BATCH_BASE_URL: "https://batch.fireworks.fake",
            ASSEMBLYAI_BASE_URL: "https://assembly.fake",
            OPENAI_BASE_URL: "https://openai.fake",
            DEEPSEEK_BASE_URL: "https://deepseek.fake",
            FIREWORKS_LLM_BASE_URL: "https://fireworks-llm.fake/inference/v1",
            PROVIDER_TIMEOUT_SECONDS: "3",
            YOUTUBE_API_BASE_URL: "https://youtube-api.fake",
            YOUTUBE_UPLOAD_BASE_URL: "https://youtube-upload.fake",
            YOUTUBE_WATCH_BASE_URL: "https://youtube-watch.fake/",
            GOOGLE_OAUTH_TOKEN_URL: "https://oauth2.google.fake/token",
            GOOGLE_OAUTH_AUTHORIZE_URL: "https://accounts.google.fake/o/oauth2/auth",
            YOUTUBE_OAUTH_CLIENT_ID: "youtube-app-client",
            YOUTUBE_OAUTH_CLIENT_SECRET: "youtube-app-secret-123",
            VK_API_BASE_URL: "https://api.vk.fake",
            VK_ID_TOKEN_URL: "https://id.vk.fake/oauth2/auth",
            VK_ID_AUTHORIZE_URL: "https://id.vk.fake/authorize",
            VK_ID_CLIENT_ID: "51234567",
            YANDEX_OAUTH_BASE_URL: "https://oauth.yandex.fake",
            YANDEX_OAUTH_CLIENT_ID: "yandex-app-client",
            YANDEX_OAUTH_CLIENT_SECRET: "yandex-app-secret-123",
            YANDEX_DISK_API_BASE_URL: "https://cloud-api.yandex.fake",
            YOUTUBE_CHUNK_BYTES: String(256 * 1024),
            YOUTUBE_CHUNKS_PER_MESSAGE: "2",
            YOUTUBE_DAILY_UPLOADS: "100",
            // Files over 1 MiB take VK's resumable mode here (2 GB in production).
            VK_SINGLE_UPLOAD_MAX_BYTES: String(1024 * 1024),
            VK_CHUNK_BYTES: String(256 * 1024),
            VK_CHUNKS_PER_MESSAGE: "2",
            TRANSCRIPTION_POLL_SECONDS: "1",
            TRANSCRIPTION_MAX_WAIT_SECONDS: "600",
            // E-mail: the dev outbox (R2) by default; the Resend transport is tested against test/fakes/fake-email-api.ts.
            EMAIL_TRANSPORT: "outbox",
            EMAIL_API_BASE_URL: "https://email-api.fake",
            EMAIL_API_KEY: "re_fake_key_0123456789",
            EMAIL_FROM: "Lecture Publisher <no-reply@lecture-publisher.test>",
            EMAIL_TIMEOUT_SECONDS: "1",
            EMAIL_MAX_ATTEMPTS: "4",
            EMAIL_LINK_BASE_URL: "https://app.example.test",
            EMAIL_VERIFICATION_TTL_SECONDS: "172800",
            PASSWORD_RESET_TTL_SECONDS: "1800",
            AUTH_EMAIL_REQUESTS_PER_IP_PER_HOUR: "10",
            AUTH_EMAIL_REQUESTS_PER_ADDRESS_PER_HOUR: "3",
            // Outbound webhooks: two quick retries, a short timeout, disabled after two deliveries gave up.
            WEBHOOK_RETRY_SCHEDULE_SECONDS: "1,1",
            WEBHOOK_TIMEOUT_SECONDS: "2",
            WEBHOOK_DISABLE_AFTER_FAILURES: "2",
            WEBHOOK_DISABLE_AFTER_SECONDS: "86400",
            WEBHOOK_MAX_ENDPOINTS_PER_USER: "5",
            NOTIFICATION_BATCH_WINDOW_SECONDS: "3600",
            QUOTA_NEARLY_USED_PERCENT: "90",
            // Small keyset pages, so an export of a few hundred rows crosses several.
            EXPORT_BATCH_SIZE: "50",
            MEDIA_URL_TTL_SECONDS: "600",
          },
        },
      }),
    ],
    test: {
      setupFiles: ["./test/setup/apply-migrations.ts"],
      // A loopback server that must receive no connection from any SSRF attempt (fails the run otherwise).
      globalSetup: ["./test/setup/trap-server.mjs"],
      // Generous for slow CI machines: a few tests wait for the real queue to finish retries.
      testTimeout: 60_000,
      // Two files at a time even on 2 cores (vitest's default there is one): the slow files mostly
      // wait on queue retries and backoff, not the CPU (287 s → 159 s for the whole suite).
      maxWorkers: 2,
      silent: "passed-only",
    },
  };
});

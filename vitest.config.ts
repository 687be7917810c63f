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
          bindings: {
            TEST_MIGRATIONS: migrations,
            ENVIRONMENT: "test",
            JWT_SECRET: "test-secret-0123456789-0123456789-abcdef",
            LOG_LEVEL: "debug",
            BOOTSTRAP_ADMIN_EMAIL: "first-admin@example.test",
            RATE_LIMIT_AUTH_PER_WINDOW: "8",
            RATE_LIMIT_API_PER_MINUTE: "120",
          },
        },
      }),
    ],
    test: {
      setupFiles: ["./test/setup/apply-migrations.ts"],
      testTimeout: 20_000,
      silent: "passed-only",
    },
  };
});

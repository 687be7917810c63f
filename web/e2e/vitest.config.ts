import path from "node:path";
import { defineConfig } from "vitest/config";

// Browser journeys: plain Node tests driving Debian's Chromium through playwright-core against one
// real `wrangler dev` (started in dev-server.ts for the whole run, with its own fresh state).
export default defineConfig({
  root: path.resolve(import.meta.dirname, "../.."),
  test: {
    include: ["web/e2e/**/*.e2e.ts"],
    environment: "node",
    globalSetup: ["web/e2e/support/dev-server.ts"],
    // One browser and one server: journeys run one after another.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 90_000,
    // One retry: local `wrangler dev` now and then holds a page navigation in its proxy until
    // another request arrives (seen once in ten runs as a 15 s goto timeout on an idle machine).
    // A journey that fails twice is a real failure.
    retry: 1,
    hookTimeout: 120_000,
  },
});

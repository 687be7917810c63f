import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The dashboard: built into web/dist, which the Worker serves as static assets (wrangler.toml
// [assets]). `npm run build:web` runs scripts/build-docs-assets.mjs afterwards, because this build
// empties web/dist and the pinned Swagger UI and _headers live there too.
const api = process.env.API_ORIGIN ?? "http://127.0.0.1:8787";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: { "/api": api, "/openapi.json": api, "/docs": api, "/vendor": api },
  },
});

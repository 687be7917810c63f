// Copies the README's dashboard screenshots from the browser journeys' review folder
// (web/screenshots/, git-ignored, written by `npm run test:browser`) to docs/screenshots/.
// Run it by hand after a green journey run when a page changed: `npm run screenshots:readme`.
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const from = path.join(root, "web", "screenshots");
const to = path.join(root, "docs", "screenshots");

/** The journeys' screenshots shown in the README (review name and width), in its order. */
export const README_SCREENSHOTS = [
  "recordings-search-hits-desktop",
  "pipeline-published-desktop",
  "upload-in-progress-desktop",
  "template-new-preview-desktop",
  "preset-preview-desktop",
  "connections-source-desktop",
  "automation-dry-run-desktop",
  "usage-chart-desktop",
  "settings-webhook-deliveries-desktop",
  "admin-user-pro-desktop",
  "public-share-desktop",
  "pipeline-published-phone",
];

rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
const missing = README_SCREENSHOTS.map((name) => `${name}.png`).filter((file) => !existsSync(path.join(from, file)));
if (missing.length > 0) {
  console.error(`not in web/screenshots (run npm run test:browser first): ${missing.join(", ")}`);
  process.exit(1);
}
for (const name of README_SCREENSHOTS) copyFileSync(path.join(from, `${name}.png`), path.join(to, `${name}.png`));
console.log(`copied ${README_SCREENSHOTS.length} screenshots to docs/screenshots/`);

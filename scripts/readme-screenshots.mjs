// Copies the README's dashboard screenshots from the browser journeys' review folder
// (web/screenshots/, git-ignored, written by `npm run test:browser`) to docs/screenshots/.
// Run it by hand after a green journey run when a page changed: `npm run screenshots:readme`.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const from = path.join(root, "web", "screenshots");
const to = path.join(root, "docs", "screenshots");

/** The journeys' review names shown in the README, in its order. */
export const README_SCREENSHOTS = [
  "recordings-search-hits",
  "pipeline-published",
  "upload-in-progress",
  "template-new-preview",
  "preset-preview",
  "connections-source",
  "automation-dry-run",
  "usage-chart",
  "settings-webhook-deliveries",
  "admin-user-pro",
  "public-share",
];

mkdirSync(to, { recursive: true });
const missing = [];
for (const name of README_SCREENSHOTS) {
  for (const width of ["desktop", "phone"]) {
    const file = `${name}-${width}.png`;
    if (!existsSync(path.join(from, file))) missing.push(file);
    else copyFileSync(path.join(from, file), path.join(to, file));
  }
}
if (missing.length > 0) {
  console.error(`not in web/screenshots (run npm run test:browser first): ${missing.join(", ")}`);
  process.exit(1);
}
console.log(`copied ${README_SCREENSHOTS.length * 2} screenshots to docs/screenshots/`);

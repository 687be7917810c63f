// Uploads the shared default thumbnails (PNG/JPEG) from a folder into R2 under
// `shared/thumbnails/<name>`, where every user reads them as a fallback (nothing is copied per user).
//   node scripts/seed-thumbnails.mjs <folder> [--remote | --persist-to <dir>]
// Without --remote it fills the local development bucket (.wrangler/state, or --persist-to). Re-running replaces
// files of the same name. Names must be letters, digits, _ or - (at most 100) plus .png/.jpg/.jpeg;
// files must be at most 2 MB and really be PNG or JPEG (checked by their first bytes).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const BUCKET = "lecture-publisher-media"; // wrangler.toml [[r2_buckets]] bucket_name
const NAME = /^[A-Za-z0-9_-]{1,100}\.(png|jpg|jpeg)$/;
const MAX_BYTES = 2 * 1024 * 1024;

const [folder, ...flags] = process.argv.slice(2);
if (!folder) {
  console.error("usage: node scripts/seed-thumbnails.mjs <folder> [--remote]");
  process.exit(2);
}
const target = flags.includes("--remote") ? "--remote" : "--local";
const persistAt = flags.indexOf("--persist-to");
const persist = target === "--local" && persistAt >= 0 && flags[persistAt + 1] ? ["--persist-to", flags[persistAt + 1]] : [];

function kind(path) {
  const head = readFileSync(path).subarray(0, 8);
  if (head.length >= 8 && head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  return null;
}

let uploaded = 0;
let skipped = 0;
for (const name of readdirSync(folder).sort()) {
  const path = join(folder, name);
  if (!statSync(path).isFile()) continue;
  const contentType = kind(path);
  const expected = /\.png$/i.test(name) ? "image/png" : "image/jpeg";
  if (!NAME.test(name) || statSync(path).size > MAX_BYTES || contentType !== expected) {
    console.warn(`skipped ${name}: needs a safe name, at most 2 MB, and content matching its extension`);
    skipped += 1;
    continue;
  }
  const result = spawnSync(
    "npx",
    ["wrangler", "r2", "object", "put", `${BUCKET}/shared/thumbnails/${name}`, "--file", path, "--content-type", contentType, target, ...persist],
    {
      stdio: "inherit",
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
  uploaded += 1;
}
console.log(`${uploaded} shared thumbnails uploaded (${target.slice(2)}), ${skipped} skipped`);

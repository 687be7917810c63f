// Makes an existing user an admin: `npm run admin:promote -- someone@example.edu [--remote]`.
// Without --remote it changes the local development database.
import { spawnSync } from "node:child_process";

const [email, ...flags] = process.argv.slice(2);
if (!email || !/^[^\s@']+@[^\s@']+$/.test(email)) {
  console.error("usage: npm run admin:promote -- <email> [--remote]");
  process.exit(2);
}
const target = flags.includes("--remote") ? "--remote" : "--local";
const sql = `UPDATE users SET role = 'admin', updated_at = ${Date.now()} WHERE email = '${email.toLowerCase()}'`;
const result = spawnSync("npx", ["wrangler", "d1", "execute", "DB", target, "--command", sql], {
  stdio: "inherit",
  env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true" },
});
process.exit(result.status ?? 1);

// Imports a LEAP user's templates, presets, sources, settings, automation jobs and thumbnails:
//   npm run import:leap -- --from <LEAP base URL> --token <LEAP access token> \
//                          --to <this server's base URL> --as <access token here> [--dry-run] [--activate-jobs] [--json]
// The tokens may come from LEAP_IMPORT_FROM_TOKEN / LEAP_IMPORT_TO_TOKEN instead: npm prints the command
// line it runs, and shells keep it in their history. --verbose prints one line per object as it goes.
// Exit code: 0 done (skips included: the report says what to do), 1 something failed, 2 bad arguments.
import { parseArgs } from "node:util";
import { formatReport, importFromLeap } from "./importer.mjs";

const USAGE =
  "usage: npm run import:leap -- --from <LEAP base URL> --token <LEAP access token> --to <base URL here> --as <access token here>\n" +
  "                              [--dry-run] [--activate-jobs] [--json] [--verbose] [--timeout <seconds>] [--allow-http]\n" +
  "The tokens may be given as LEAP_IMPORT_FROM_TOKEN and LEAP_IMPORT_TO_TOKEN instead (npm prints the command line).";

function fail(message) {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      from: { type: "string" },
      token: { type: "string" },
      to: { type: "string" },
      as: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "activate-jobs": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      timeout: { type: "string", default: "30" },
      "allow-http": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  }).values;
} catch (error) {
  fail(error.message);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** A base URL the tokens may be sent to: https, or plain http to this machine (or with --allow-http). */
function baseUrl(flag, value) {
  if (!value) fail(`--${flag} is required`);
  let url;
  try {
    url = new URL(value);
  } catch {
    fail(`--${flag} is not a URL: ${value}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") fail(`--${flag} must be an http(s) URL`);
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname) && !args["allow-http"]) {
    fail(`--${flag} uses plain http to another machine: the access token would travel unencrypted (use https, or --allow-http)`);
  }
  if (url.username || url.password || url.search || url.hash) fail(`--${flag} must be a plain base URL (no credentials, query or fragment)`);
  return url.href.replace(/\/+$/, "");
}

const from = baseUrl("from", args.from);
const to = baseUrl("to", args.to);
const leapToken = args.token ?? process.env.LEAP_IMPORT_FROM_TOKEN;
const ourToken = args.as ?? process.env.LEAP_IMPORT_TO_TOKEN;
if (!leapToken) fail("--token (LEAP's access token) is required");
if (!ourToken) fail("--as (the access token here) is required");
const timeoutSeconds = Number(args.timeout);
if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) fail("--timeout must be a positive number of seconds");

/** A fetch bound to one server: the token goes only to that base URL, and redirects are never followed. */
const bound = (base, token) => (path, init = {}) =>
  fetch(`${base}${path}`, { ...init, redirect: "manual", headers: { ...init.headers, Authorization: `Bearer ${token}` } });

try {
  const report = await importFromLeap({
    leap: bound(from, leapToken),
    ours: bound(to, ourToken),
    dryRun: args["dry-run"],
    activateJobs: args["activate-jobs"],
    timeoutMs: timeoutSeconds * 1000,
    log: args.verbose ? (line) => console.error(line) : undefined,
  });
  console.log(args.json ? JSON.stringify(report, null, 2) : `\n${formatReport(report)}`);
  process.exit(report.ok ? 0 : 1);
} catch (error) {
  console.error(`The import stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

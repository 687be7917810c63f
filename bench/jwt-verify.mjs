// Why the project keeps its own HS256 JWT instead of hono/jwt (issue 14 asked to measure):
// verifies the same access token N times with each, in one Node process, and prints the ratio.
//   node bench/jwt-verify.mjs [--count 20000]
import path from "node:path";
import { sign as honoSign, verify as honoVerify } from "hono/jwt";
import { runnerImport } from "vite";

const root = path.resolve(import.meta.dirname, "..");
const count = Number(process.argv[process.argv.indexOf("--count") + 1]) || 20_000;
const { module: jwt } = await runnerImport(path.join(root, "src", "lib", "jwt.ts"), { configFile: false, logLevel: "error" });

const secret = "bench-secret-that-is-at-least-32-characters-long";
const now = Math.floor(Date.now() / 1000);
const claims = { sub: "01HZX0000000000000000000", sid: "01HZX0000000000000000001", role: "user", iat: now, exp: now + 900 };
const ours = await jwt.signJwt(claims, secret);
const theirs = await honoSign(claims, secret, "HS256");

async function time(label, verify) {
  for (let i = 0; i < 500; i++) await verify(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await verify();
  const perCallUs = Number(process.hrtime.bigint() - start) / 1000 / count;
  console.log(`${label.padEnd(28)} ${perCallUs.toFixed(1)} µs per verify`);
  return perCallUs;
}

const own = await time("src/lib/jwt.ts verifyJwt", () => jwt.verifyJwt(ours, secret, now));
const hono = await time("hono/jwt verify", () => honoVerify(theirs, secret, "HS256"));
console.log(`hono/jwt / ours: ${(hono / own).toFixed(2)}× (${count} verifications each)`);

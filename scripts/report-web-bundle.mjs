// Prints the dashboard's first-load size: the JS and CSS that web/dist/index.html loads before any
// route chunk (its module script and modulepreloads), gzipped as a CDN would send them. Fails when
// the JavaScript passes the budget (WEB_FIRST_LOAD_BUDGET_KB, default 250).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const dist = path.resolve(import.meta.dirname, "..", "web", "dist");
const budgetKb = Number(process.env.WEB_FIRST_LOAD_BUDGET_KB ?? 250);
const html = readFileSync(path.join(dist, "index.html"), "utf8");
const referenced = (pattern) => [...html.matchAll(pattern)].map((m) => m[1]).filter((href) => href.startsWith("/assets/"));
const gz = (file) => gzipSync(readFileSync(path.join(dist, file))).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);

const js = [...new Set([...referenced(/<script[^>]+src="([^"]+)"/g), ...referenced(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)])];
const css = referenced(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g);
const jsBytes = js.reduce((sum, f) => sum + gz(f), 0);
const cssBytes = css.reduce((sum, f) => sum + gz(f), 0);
const chunks = readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".js"));
const lazy = chunks.filter((f) => !js.includes(`/assets/${f}`));
const largestLazy = lazy.map((f) => [f, gz(`/assets/${f}`)]).sort((a, b) => b[1] - a[1])[0];

console.log(`first-load JS:  ${kb(jsBytes)} KB gzip in ${js.length} file(s) (budget ${budgetKb} KB)`);
console.log(`first-load CSS: ${kb(cssBytes)} KB gzip in ${css.length} file(s)`);
console.log(`route chunks:   ${lazy.length}${largestLazy ? `, largest ${largestLazy[0]} ${kb(largestLazy[1])} KB gzip` : ""}`);
if (jsBytes > budgetKb * 1024) {
  console.error(`First-load JavaScript is over budget: ${kb(jsBytes)} KB > ${budgetKb} KB gzip.`);
  process.exit(1);
}

// Keeps .dev.vars usable for `npm run dev`: creates it from .dev.vars.example on a fresh clone,
// and appends any variable the example has gained since (an existing value is never changed).
import { appendFileSync, copyFileSync, existsSync, readFileSync } from "node:fs";

const names = (text) => new Set([...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example (local defaults; edit as needed).");
} else {
  const example = readFileSync(".dev.vars.example", "utf8");
  const present = names(readFileSync(".dev.vars", "utf8"));
  const missing = example.split("\n").filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line) && !present.has(line.split("=")[0]));
  if (missing.length > 0) {
    appendFileSync(".dev.vars", `\n# Added from .dev.vars.example\n${missing.join("\n")}\n`);
    console.log(`Added to .dev.vars: ${missing.map((l) => l.split("=")[0]).join(", ")}`);
  }
}

// Creates .dev.vars from .dev.vars.example on a fresh clone, so `npm run dev` works at once.
import { copyFileSync, existsSync } from "node:fs";

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example (local defaults; edit as needed).");
}

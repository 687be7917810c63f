import { describe, expect, it } from "vitest";

/**
 * The layer rule of ARCHITECTURE.md, checked on the source text: routes → services →
 * db / integrations / media / durable → lib, never upward. Vite inlines every file under src/ at
 * test build time (the workerd test runtime has no file system of the host).
 */
const SOURCES = import.meta.glob<string>("../src/**/*.ts", { query: "?raw", import: "default", eager: true });

/** What each layer must not import (relative imports only; packages are not layers). */
const FORBIDDEN: Record<string, readonly string[]> = {
  lib: ["services", "routes", "jobs", "middleware", "integrations", "db", "media", "durable"],
  integrations: ["services", "routes", "jobs", "middleware"],
  db: ["services", "routes", "jobs", "middleware"],
  media: ["services", "routes", "jobs", "middleware"],
  durable: ["services", "routes", "jobs", "middleware"],
  services: ["routes", "jobs", "middleware"],
};

const IMPORT_SPECIFIER = /(?:^|[\s;])(?:import|export)\s(?:type\s)?[^'";]*?from\s*["']([^"']+)["']|(?:^|[\s;(=])import\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm;

/** Relative import specifiers of a module (static, re-exports, side-effect and dynamic). */
function importSpecifiers(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  return [...withoutComments.matchAll(IMPORT_SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? "").filter((s) => s.startsWith("."));
}

/** "src/services/a/b.ts" + "../../jobs/x" → "src/jobs/x". */
function resolve(from: string, specifier: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const segment of specifier.split("/")) {
    if (segment === "..") parts.pop();
    else if (segment !== ".") parts.push(segment);
  }
  return parts.join("/");
}

/** The top folder under src/ ("services", "lib" …), or the file's own name for src/app.ts and the like. */
const layerOf = (path: string) => path.split("/")[1]?.replace(/\.ts$/, "") ?? "";

/** Every upward arrow in `files` (keys are paths like "src/lib/x.ts"), as "from → specifier". */
function layerViolations(files: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [path, source] of Object.entries(files)) {
    const forbidden = FORBIDDEN[layerOf(path)] ?? [];
    for (const specifier of importSpecifiers(source)) {
      if (forbidden.includes(layerOf(resolve(path, specifier)))) found.push(`${path} → ${specifier}`);
    }
  }
  return found.sort();
}

const sourceFiles = () => Object.fromEntries(Object.entries(SOURCES).map(([path, text]) => [path.replace(/^\.\.\//, ""), text]));

describe("layering: every import points down", () => {
  it("reads the whole source tree", () => {
    const paths = Object.keys(sourceFiles());
    expect(paths.length, "files found under src/").toBeGreaterThan(100);
    for (const layer of ["lib", "db", "integrations", "services", "routes", "jobs", "middleware"]) {
      expect(paths.some((p) => p.startsWith(`src/${layer}/`)), `a file under src/${layer}`).toBe(true);
    }
  });

  it("finds no upward import in src/", () => {
    expect(layerViolations(sourceFiles())).toEqual([]);
  });

  it("catches every import form the rule must see", () => {
    const violations = layerViolations({
      "src/integrations/asr/x.ts": 'import { a } from "../../services/transcripts/normalize";\nimport type { T } from "../../services/transcripts/types";',
      "src/services/pipeline/y.ts": 'export { enqueue } from "../../jobs/messages";\nconst m = await import("../../routes/router");',
      "src/db/repositories/z.ts": 'import "../../middleware/auth";',
      "src/lib/w.ts": 'import {\n  forTenant,\n} from "../db/repositories/tenant";',
      // Allowed: downward, sideways within a layer, packages, comments and strings that merely mention a path.
      "src/services/ok.ts": 'import { x } from "../lib/x";\nimport { y } from "./y";\nimport { z } from "zod";\n// import { r } from "../routes/router";\nconst s = "from \'../jobs/q\'";',
      "src/routes/ok.ts": 'import { s } from "../services/s";',
    });
    expect(violations).toEqual([
      "src/db/repositories/z.ts → ../../middleware/auth",
      "src/integrations/asr/x.ts → ../../services/transcripts/normalize",
      "src/integrations/asr/x.ts → ../../services/transcripts/types",
      "src/lib/w.ts → ../db/repositories/tenant",
      "src/services/pipeline/y.ts → ../../jobs/messages",
      "src/services/pipeline/y.ts → ../../routes/router",
    ]);
  });
});

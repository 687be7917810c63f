import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/lib/config";
import { checkTemplate } from "../src/services/metadata";
import leapImportCli from "../scripts/leap-import/cli.mjs?raw";
import packageJson from "../package.json";
import readme from "../README.md?raw";
import wranglerToml from "../wrangler.toml?raw";
import { call, uniqueIp } from "./helpers/api";

/**
 * Every example in the README is run here, so the README cannot drift from the code: the curl
 * session of the quick start against the real Worker, the metadata template snippets through the
 * template checker, the commands against package.json and the import tool's flags, and the
 * configuration table against the configuration schema (both ways).
 */

interface Block {
  lang: string;
  text: string;
}

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```/gm;
  for (let match = fence.exec(markdown); match !== null; match = fence.exec(markdown)) {
    blocks.push({ lang: match[1] ?? "", text: match[2] ?? "" });
  }
  return blocks;
}

/** The commands of a shell block: continuation lines joined, comments dropped. */
function shellCommands(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line.length > 0);
}

/** Splits a command line the way a POSIX shell does for the quoting the README uses. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let match = pattern.exec(line); match !== null; match = pattern.exec(line)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? "");
  }
  return words;
}

interface CurlRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function parseCurl(words: string[]): CurlRequest {
  const request: CurlRequest = { method: "GET", path: "", headers: {} };
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i] ?? "";
    if (word === "-s") continue;
    if (word === "-X") request.method = words[++i] ?? "";
    else if (word === "-H") {
      const header = words[++i] ?? "";
      const colon = header.indexOf(":");
      request.headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    } else if (word === "-d") {
      request.body = words[++i];
      if (request.method === "GET") request.method = "POST";
    } else if (/^(https?:\/\/)?(localhost|127\.0\.0\.1):8787\//.test(word)) {
      request.path = word.replace(/^(https?:\/\/)?(localhost|127\.0\.0\.1):8787/, "");
    } else throw new Error(`README curl example uses an option this test does not understand: ${word}`);
  }
  return request;
}

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section ${heading}`);
  const level = heading.split(" ")[0] ?? "##";
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{2,${level.length}} `, "m"));
  return end < 0 ? rest : rest.slice(0, end);
}

describe("README examples", () => {
  it("runs the quick start's curl session against the Worker, each answer a success", async () => {
    const block = codeBlocks(readme).find((b) => b.lang === "bash" && b.text.includes("curl"));
    expect(block, "the quick start has a curl example").toBeDefined();
    const ip = uniqueIp();
    let accessToken = "";
    const commands = shellCommands(block?.text ?? "").filter((line) => line.startsWith("curl "));
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const command of commands) {
      const request = parseCurl(shellWords(command));
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = value.replace("$ACCESS_TOKEN", accessToken);
      const response = await call(request.path, { method: request.method, headers, rawBody: request.body, ip });
      expect(response.status, `${command} → ${response.status} ${response.text}`).toBeLessThan(300);
      const token = (response.body as { access_token?: unknown } | undefined)?.access_token;
      if (typeof token === "string") accessToken = token;
    }
    expect(accessToken, "the session signs in and uses the token").not.toBe("");
  });

  it("every metadata template snippet in the publishing section is accepted by the template checker", () => {
    const publishing = section(readme, "### Publishing");
    const snippets = [...publishing.matchAll(/`([^`]*\{[^`]*\})`/g)].map((m) => m[1] ?? "");
    expect(snippets.length).toBeGreaterThanOrEqual(3);
    for (const snippet of snippets) expect(checkTemplate(snippet), snippet).toEqual([]);
  });

  it("`npm run dev -- --port 9000` can work: the dev script names no --ip/--port, wrangler.toml [dev] has the defaults", () => {
    // wrangler refuses a flag given twice ("--port expects a single value"), so defaults live in [dev].
    for (const script of ["dev", "predev"] as const) expect(packageJson.scripts[script]).not.toMatch(/--(ip|port)\b/);
    const dev = /^\[dev\]\n((?:[^[].*\n?)*)/m.exec(wranglerToml)?.[1] ?? "";
    expect(dev).toMatch(/^ip = "127\.0\.0\.1"/m);
    expect(dev).toMatch(/^port = 8787/m);
  });

  it("every npm script the README names exists, and the import tool takes every flag its example uses", () => {
    const scripts = Object.keys(packageJson.scripts);
    const named = new Set([...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] ?? ""));
    for (const name of named) expect(scripts, `npm run ${name}`).toContain(name);

    const importLines = codeBlocks(readme)
      .flatMap((b) => shellCommands(b.text))
      .filter((line) => line.startsWith("npm run import:leap"));
    expect(importLines.length).toBeGreaterThan(0);
    const cliFlags = new Set([...leapImportCli.matchAll(/^\s+"?([a-z-]+)"?: \{ type:/gm)].map((m) => m[1] ?? ""));
    for (const line of importLines) {
      for (const flag of line.matchAll(/--([a-z][a-z-]*)/g)) expect(cliFlags, `--${flag[1]}`).toContain(flag[1]);
    }
  });

  it("the configuration table names every configuration variable, and only those", () => {
    const table = section(readme, "## Configuration");
    const documented = new Set<string>();
    for (const row of table.split("\n").filter((line) => line.startsWith("| `"))) {
      const firstCell = row.split("|")[1] ?? "";
      for (const name of firstCell.matchAll(/`([A-Z0-9_]+)`/g)) documented.add(name[1] ?? "");
    }
    const known = new Set(Object.keys(loadConfig(env)));
    for (const name of documented) expect(known, `README documents ${name}`).toContain(name);
    for (const name of known) expect(documented, `config variable ${name} is documented`).toContain(name);
  });
});

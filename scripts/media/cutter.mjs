// Runs src/media/isobmff in Node on local files (bundled on the fly with esbuild), so fixture
// generation and the benchmark can check the cutter's output with ffmpeg/ffprobe.
//   node scripts/media/cutter.mjs cut   <in.mp4> <out.mp4> <start> <end> [--co64]
//   node scripts/media/cutter.mjs audio <in.mp4> <out.m4a> [start end]
//   node scripts/media/cutter.mjs plan  <in.mp4> <start> <end>     (prints the plan as JSON)
import { build } from "esbuild";
import { open, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "../..");

export async function loadCutter() {
  const dir = await mkdtemp(path.join(tmpdir(), "cutter-"));
  const outfile = path.join(dir, "cutter.mjs");
  await build({
    entryPoints: [path.join(root, "src/media/isobmff/index.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile,
    logLevel: "error",
  });
  return import(pathToFileURL(outfile).href);
}

export async function fileRangeReader(file) {
  const handle = await open(file, "r");
  const { size } = await handle.stat();
  return {
    size,
    handle,
    read: async (offset, length) => {
      const bytes = new Uint8Array(length);
      const { bytesRead } = await handle.read(bytes, 0, length, offset);
      if (bytesRead !== length) throw new Error(`short read at ${offset}`);
      return bytes;
    },
  };
}

export async function fileSink(file) {
  const handle = await open(file, "w");
  let size = 0;
  return {
    write: async (bytes) => {
      await handle.write(bytes);
      size += bytes.byteLength;
    },
    close: async () => {
      await handle.close();
      return { size, parts: 0 };
    },
    abort: async () => handle.close(),
  };
}

async function main() {
  const [command, input, ...rest] = process.argv.slice(2);
  const cutter = await loadCutter();
  const source = await fileRangeReader(input);
  const movie = await cutter.readMovie(source);
  const num = (v, fallback) => (v === undefined ? fallback : Number(v));
  if (command === "plan") {
    const plan = cutter.planCut(movie, { start: num(rest[0], 0), end: num(rest[1], Infinity) });
    const { header, copyRanges, ...summary } = plan;
    console.log(JSON.stringify({ ...summary, headerBytes: header.byteLength, copyRanges: copyRanges.length / 2 }));
  } else if (command === "cut" || command === "audio") {
    const [output, start, end] = rest;
    const plan = cutter.planCut(
      movie,
      { start: num(start, 0), end: num(end, Infinity) },
      { tracks: command === "audio" ? "audio" : "all", forceCo64: rest.includes("--co64") },
    );
    const result = await cutter.writeCut(plan, source, await fileSink(output));
    const { header, copyRanges, ...summary } = plan;
    console.log(JSON.stringify({ ...summary, ...result }));
  } else if (command === "silence") {
    const perSecond = cutter.audioPayloadPerSecond(movie);
    console.log(JSON.stringify({ perSecond: Array.from(perSecond), edges: cutter.silentEdges(perSecond) }));
  } else {
    throw new Error(`unknown command ${command}`);
  }
  await source.handle.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();

// Bench-only Worker (bench/trim.mjs): trims or plainly copies objects of its local R2 bucket.
//   PUT  /object/<key>                      store the request body
//   POST /trim?src&dst&start&end[&part&read&pause]  the cutter: range reads -> plan -> multipart copy
//   POST /copy?src&dst&bytes[&part&read&pause]      the I/O floor: the same number of bytes, same
//                                                   read and part sizes, with no planning
//   GET  /phase                             "paused-mid" / "paused" while a run holds its memory for
//                                           the inspector (after `mid` writes / before completing)
//   GET  /sha256/<key>                      digest of a stored object (to compare with a local cut)
// `pause` (ms) stops a run after its `mid`-th write and again just before it completes its upload,
// everything still referenced, so the bench can read the isolate's live memory halfway and at the end.
import { type ByteSink, type RangeReader, planCut, r2MultipartSink, r2RangeReader, readMovie, writeCut } from "../../src/media/isobmff";

interface Env {
  MEDIA: R2Bucket;
}

const MIB = 1024 * 1024;
let phase = "idle";

function pausingSink(inner: ByteSink, pauseMs: number, midWrite: number): ByteSink {
  const hold = async (name: string) => {
    phase = name;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    phase = "running";
  };
  let writes = 0;
  return {
    write: async (bytes) => {
      await inner.write(bytes);
      if (pauseMs > 0 && ++writes === midWrite) await hold("paused-mid");
    },
    abort: (reason) => inner.abort(reason),
    close: async () => {
      if (pauseMs > 0) await hold("paused");
      return inner.close();
    },
  };
}

async function copy(source: RangeReader, bytes: number, sink: ByteSink, readSize: number) {
  let next: Promise<Uint8Array> | null = source.read(0, Math.min(readSize, bytes));
  for (let at = 0; next; ) {
    const chunk: Uint8Array = await next;
    at += chunk.byteLength;
    next = at < bytes ? source.read(at, Math.min(readSize, bytes - at)) : null;
    await sink.write(chunk);
  }
  return sink.close();
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const q = (name: string) => url.searchParams.get(name) ?? "";
    if (url.pathname === "/phase") return Response.json({ phase });
    if (url.pathname.startsWith("/object/") && request.method === "PUT") {
      const object = await env.MEDIA.put(url.pathname.slice(8), request.body);
      return Response.json({ size: object?.size });
    }
    if (url.pathname.startsWith("/sha256/")) {
      const object = await env.MEDIA.get(url.pathname.slice(8));
      if (!object) return new Response(null, { status: 404 });
      const digest = new crypto.DigestStream("SHA-256");
      await object.body.pipeTo(digest);
      const hex = [...new Uint8Array(await digest.digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
      return Response.json({ sha256: hex, size: object.size });
    }
    const pause = Number(q("pause") || 0);
    const partSize = Number(q("part") || 16 * MIB);
    const readSize = Number(q("read") || 8 * MIB);
    phase = "running";
    try {
      const t0 = Date.now();
      const source = await r2RangeReader(env.MEDIA, q("src"));
      const sink = pausingSink(r2MultipartSink(env.MEDIA, q("dst"), { partSize }), pause, Number(q("mid") || 0));
      if (url.pathname === "/copy") {
        const result = await copy(source, Number(q("bytes")), sink, readSize);
        return Response.json({ ...result, ms: Date.now() - t0 - pause });
      }
      // The parsed input moov is dropped once planned: only the plan (output header) is kept.
      const plan = planCut(await readMovie(source), { start: Number(q("start")), end: Number(q("end") || Infinity) });
      const planned = Date.now();
      const result = await writeCut(plan, source, sink, { readSize });
      return Response.json({
        start: plan.start,
        end: plan.end,
        tracks: plan.tracks,
        moovBytes: plan.header.byteLength,
        copyRanges: plan.copyRanges.length / 2,
        ...result,
        planMs: planned - t0,
        ms: Date.now() - t0 - pause,
      });
    } finally {
      phase = "idle";
    }
  },
} satisfies ExportedHandler<Env>;

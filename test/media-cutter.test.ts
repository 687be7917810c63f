/**
 * The ISO-BMFF cutter against ffmpeg: committed fixtures (scripts/media/make-fixtures.mjs) and the
 * packet lists `ffmpeg -ss S -to E -c copy -f framemd5` produced for them. Our output is read back
 * with mediabunny — an independent demuxer — and every packet's MD5 must equal ffmpeg's, apart
 * from the few extra packets ffmpeg's `-to` keeps at the end.
 */
import { env } from "cloudflare:workers";
import { ALL_FORMATS, BufferSource, EncodedPacketSink, Input, type InputTrack } from "../node_modules/mediabunny/dist/bundles/mediabunny.mjs";
import { describe, expect, it } from "vitest";
import {
  type ByteSink,
  CutRangeError,
  MediaSourceChangedError,
  type RangeReader,
  UnsupportedMediaError,
  audioPayloadPerSecond,
  bytesRangeReader,
  extractAudio,
  planCut,
  r2MultipartSink,
  r2RangeReader,
  readMovie,
  silentEdges,
  trimRecording,
  writeCut,
} from "../src/media/isobmff";
import { mdatHeader } from "../src/media/isobmff/boxes";
import co64Url from "./fixtures/media/av-co64.mp4?inline";
import faststartUrl from "./fixtures/media/av-faststart.mp4?inline";
import moovEndUrl from "./fixtures/media/av-moov-end.mp4?inline";
import expected from "./fixtures/media/expected.json";

type Kind = "video" | "audio";
interface Reference {
  timebase: number[];
  packets: Array<[number, number, number, string]>; // dts, pts, size, md5
}
interface Case {
  name: string;
  file: string;
  start: number;
  end: number;
  mode: "all" | "audio";
  gop?: number;
  ffmpeg: Partial<Record<Kind, Reference>>;
}

const decode = (url: string) => Uint8Array.from(atob(url.slice(url.indexOf(",") + 1)), (c) => c.charCodeAt(0));
const FIXTURES: Record<string, Uint8Array> = {
  "av-moov-end.mp4": decode(moovEndUrl),
  "av-faststart.mp4": decode(faststartUrl),
  "av-co64.mp4": decode(co64Url),
};
const fixture = (name: string) => {
  const bytes = FIXTURES[name];
  if (!bytes) throw new Error(`no fixture ${name}`);
  return bytes;
};
const cases = expected.cases as unknown as Case[];

function memorySink(): ByteSink & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  let size = 0;
  return {
    write: async (bytes) => {
      chunks.push(bytes.slice());
      size += bytes.byteLength;
    },
    close: async () => ({ size, parts: 0 }),
    abort: async () => undefined,
    bytes: () => {
      const out = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.byteLength;
      }
      return out;
    },
  };
}

/** Counts reads, to check the moov is found in few range requests. */
function countingReader(inner: RangeReader) {
  const reads: Array<[number, number]> = [];
  return { reader: { size: inner.size, read: (o: number, l: number) => (reads.push([o, l]), inner.read(o, l)) }, reads };
}

async function cut(bytes: Uint8Array, range: { start: number; end: number }, options: Parameters<typeof planCut>[2] = {}) {
  const source = bytesRangeReader(bytes);
  const plan = planCut(await readMovie(source), range, options);
  const sink = memorySink();
  const result = await writeCut(plan, source, sink);
  return { plan, result, output: sink.bytes() };
}

// Large byte arrays are compared by digest: vitest's deep equality on 10 MB arrays exhausts the heap.
const sha256 = async (bytes: Uint8Array | Promise<ArrayBuffer>) => hex(await crypto.subtle.digest("SHA-256", await bytes));
const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

interface Packets {
  sizes: number[];
  md5: string[];
  firstTimestamp: number;
  firstIsKey: boolean;
}

/** Every packet of a track as mediabunny reads it, decode order. */
async function packetsOf(track: InputTrack): Promise<Packets> {
  const sizes: number[] = [];
  const md5: string[] = [];
  let firstTimestamp = Number.NaN;
  let firstIsKey = false;
  for await (const packet of new EncodedPacketSink(track).packets()) {
    if (sizes.length === 0) {
      firstTimestamp = packet.timestamp;
      firstIsKey = packet.type === "key";
    }
    sizes.push(packet.byteLength);
    md5.push(hex(await crypto.subtle.digest("MD5", packet.data)));
  }
  return { sizes, md5, firstTimestamp, firstIsKey };
}

async function readBack(output: Uint8Array) {
  const input = new Input({ source: new BufferSource(output), formats: ALL_FORMATS });
  const video = await input.getPrimaryVideoTrack();
  const audio = await input.getPrimaryAudioTrack();
  return {
    input,
    video: video ? await packetsOf(video) : null,
    audio: audio ? await packetsOf(audio) : null,
    videoStart: video ? await video.getFirstTimestamp() : Number.NaN,
    audioStart: audio ? await audio.getFirstTimestamp() : Number.NaN,
    duration: await input.computeDuration(),
  };
}

describe("cuts match ffmpeg -ss/-to -c copy packet for packet", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const { plan, output } = await cut(fixture(c.file), c, { tracks: c.mode });
    const back = await readBack(output);
    for (const kind of ["video", "audio"] as const) {
      const reference = c.ffmpeg[kind];
      const ours = back[kind];
      if (!reference) {
        expect(ours, `${kind} track should be absent`).toBeNull();
        continue;
      }
      if (!ours) throw new Error(`${kind} track missing from the output`);
      const want = reference.packets.map((p) => `${p[2]}:${p[3]}`);
      const got = ours.sizes.map((s, i) => `${s}:${ours.md5[i]}`);
      // ffmpeg's -to keeps a few packets decoded after the end; everything else must be identical.
      expect(got, `${kind} packets`).toEqual(want.slice(0, got.length));
      expect(want.length - got.length, `${kind}: ffmpeg keeps ${want.length}, we keep ${got.length}`).toBeGreaterThanOrEqual(0);
      expect(want.length - got.length).toBeLessThanOrEqual(kind === "video" ? 4 : 1);
    }

    if (c.mode === "all") {
      const video = c.ffmpeg.video;
      if (!video || !back.video) throw new Error("video expected");
      expect(back.video.firstIsKey).toBe(true);
      // ffmpeg writes the pre-roll as negative pts relative to -ss: that is where the real cut is.
      const [num, den] = video.timebase as [number, number];
      expect(plan.start).toBeCloseTo(c.start + ((video.packets[0]?.[1] ?? 0) * num) / den, 6);
      expect(plan.start).toBeLessThanOrEqual(c.start);
      expect(c.start - plan.start).toBeLessThan(c.gop ?? 0);
      // Both tracks start together at 0 (audio pre-roll is hidden by its edit list).
      expect(back.videoStart).toBeCloseTo(0, 6);
      // mediabunny reports the audio pre-roll (hidden by the edit list) as negative timestamps.
      expect(back.audioStart).toBeLessThanOrEqual(0);
      expect(back.audioStart).toBeGreaterThan(-0.25);
      // Duration: the asked length plus at most one GOP of pre-roll and one frame at the end.
      const sourceEnd = (await readMovie(bytesRangeReader(fixture(c.file)))).duration;
      const asked = Math.min(c.end, sourceEnd) - c.start;
      expect(back.duration - asked).toBeGreaterThanOrEqual(-0.05);
      expect(back.duration - asked).toBeLessThanOrEqual((c.gop ?? 0) + 0.05);
      // mediabunny's duration counts frames kept for decoding past the end (hidden by the edit list).
      expect(back.duration - (plan.end - plan.start)).toBeGreaterThanOrEqual(-0.001);
      expect(back.duration - (plan.end - plan.start)).toBeLessThan(0.1);
    } else {
      expect(plan.start).toBeCloseTo(c.start, 6);
      expect(String.fromCharCode(...output.subarray(8, 12))).toBe("M4A ");
    }
    // Our own reader agrees with the plan, and the output is fast-start (moov before mdat).
    const movie = await readMovie(bytesRangeReader(output));
    expect(movie.duration).toBeCloseTo(plan.end - plan.start, 2);
    expect(String.fromCharCode(...output.subarray(movie.ftyp?.byteLength ?? 0).subarray(4, 8))).toBe("moov");
  });
});

describe("cutter behaviour", () => {
  it("says when nothing needs cutting, so the original is used without a copy", async () => {
    for (const name of ["av-moov-end.mp4", "av-faststart.mp4"]) {
      const movie = await readMovie(bytesRangeReader(fixture(name)));
      const plan = planCut(movie, { start: 0, end: Infinity });
      expect(plan.keepsEverything, name).toBe(true);
      expect(plan.start).toBe(0);
      expect(plan.end).toBeCloseTo(movie.duration, 6);
      expect(planCut(movie, { start: 0, end: movie.duration - 1 }).keepsEverything).toBe(false);
    }
  });

  it("finds the moov in few range reads, at the start or at the end", async () => {
    const end = countingReader(bytesRangeReader(fixture("av-moov-end.mp4")));
    await readMovie(end.reader);
    expect(end.reads.length).toBe(3); // head, the header after the mdat, the moov
    const start = countingReader(bytesRangeReader(fixture("av-faststart.mp4")));
    await readMovie(start.reader);
    expect(start.reads.length).toBe(1);
    const co64 = countingReader(bytesRangeReader(fixture("av-co64.mp4")));
    const movie = await readMovie(co64.reader);
    expect(movie.tracks.map((t) => t.kind)).toEqual(["video", "audio"]);
  });

  it("writes co64 offsets and a 64-bit mdat header when offsets pass 4 GiB", async () => {
    const plain = await cut(fixture("av-moov-end.mp4"), { start: 2.5, end: 6.3 });
    const wide = await cut(fixture("av-moov-end.mp4"), { start: 2.5, end: 6.3 }, { forceCo64: true });
    const text = new TextDecoder("latin1").decode(wide.output.subarray(0, 8192));
    expect(text).toContain("co64");
    expect(text).not.toContain("stco");
    const [a, b] = [await readBack(plain.output), await readBack(wide.output)];
    expect(b.video?.md5).toEqual(a.video?.md5);
    expect(b.audio?.md5).toEqual(a.audio?.md5);
    const header = mdatHeader(5 * 2 ** 30);
    expect([...header.subarray(0, 8)]).toEqual([0, 0, 0, 1, 0x6d, 0x64, 0x61, 0x74]);
    expect(new DataView(header.buffer).getUint32(8)).toBe(1); // 5 GiB + 16 > 2^32
  });

  it("reads an audio extraction's interleaved chunks in windows, not one read per chunk", async () => {
    const whole = await cut(fixture("av-moov-end.mp4"), { start: 0, end: Infinity }, { tracks: "audio" });
    expect(whole.result.reads).toBe(1);
    const source = bytesRangeReader(fixture("av-moov-end.mp4"));
    const plan = planCut(await readMovie(source), { start: 0, end: Infinity }, { tracks: "audio" });
    expect(plan.copyRanges.length / 2).toBeGreaterThan(100); // audio chunks sit between video chunks
    const counted = countingReader(source);
    const small = await writeCut(plan, counted.reader, memorySink(), { readSize: 16 * 1024 });
    expect(Math.max(...counted.reads.map(([, l]) => l))).toBeLessThanOrEqual(16 * 1024);
    expect(small.reads).toBeLessThan(20);
    expect(small.size).toBe(whole.result.size);
  });

  it("refuses empty ranges, truncated files and non-MP4 input with typed errors", async () => {
    const movie = await readMovie(bytesRangeReader(fixture("av-moov-end.mp4")));
    expect(() => planCut(movie, { start: 5, end: 5 })).toThrow(CutRangeError);
    expect(() => planCut(movie, { start: 50, end: 60 })).toThrow(CutRangeError);
    const truncated = fixture("av-moov-end.mp4").subarray(0, 150_000);
    await expect(readMovie(bytesRangeReader(truncated))).rejects.toThrow(UnsupportedMediaError);
    await expect(readMovie(bytesRangeReader(new TextEncoder().encode("definitely not an mp4 file")))).rejects.toThrow(UnsupportedMediaError);
  });

  it("finds digital silence from AAC frame sizes alone", async () => {
    // av-moov-end: silence 0–2 s, tone 2–6 s, silence 6–8 s
    const perSecond = audioPayloadPerSecond(await readMovie(bytesRangeReader(fixture("av-moov-end.mp4"))));
    expect(perSecond.length).toBe(8);
    expect(silentEdges(perSecond)).toMatchObject({ leading: 2, trailing: 2 });
    const faststart = audioPayloadPerSecond(await readMovie(bytesRangeReader(fixture("av-faststart.mp4"))));
    expect(silentEdges(faststart)).toMatchObject({ leading: 1, trailing: 1 }); // tone 1–5 s of 6
  });
});

describe("R2 in and out", () => {
  it("trims an R2 object into another and extracts its audio", async () => {
    const key = `media-test/${crypto.randomUUID()}`;
    await env.MEDIA.put(`${key}/in.mp4`, fixture("av-moov-end.mp4"));
    const trimmed = await trimRecording(env.MEDIA, `${key}/in.mp4`, `${key}/out.mp4`, { start: 2.5, end: 6.3 });
    expect(trimmed).toMatchObject({ start: 2, end: 6.3, written: true });
    const object = await env.MEDIA.get(`${key}/out.mp4`);
    if (!object) throw new Error("output missing");
    expect(object.httpMetadata?.contentType).toBe("video/mp4");
    const stored = new Uint8Array(await object.arrayBuffer());
    expect(await sha256(stored)).toBe(await sha256((await cut(fixture("av-moov-end.mp4"), { start: 2.5, end: 6.3 })).output));

    const audio = await extractAudio(env.MEDIA, `${key}/in.mp4`, `${key}/audio.m4a`);
    const m4a = await env.MEDIA.get(`${key}/audio.m4a`);
    expect(m4a?.httpMetadata?.contentType).toBe("audio/mp4");
    const m4aMovie = await readMovie(bytesRangeReader(new Uint8Array(await (m4a as R2ObjectBody).arrayBuffer())));
    expect(m4aMovie.tracks.map((t) => [t.kind, t.sampleCount])).toEqual([["audio", 251]]);
    expect(audio.size).toBe(m4a?.size);

    const untouched = await trimRecording(env.MEDIA, `${key}/in.mp4`, `${key}/same.mp4`, { start: 0, end: 1e9 });
    expect(untouched.written).toBe(false);
    expect(await env.MEDIA.head(`${key}/same.mp4`)).toBeNull();
  });

  it("fails if the source object is replaced during the cut", async () => {
    const key = `media-test/${crypto.randomUUID()}.mp4`;
    await env.MEDIA.put(key, fixture("av-moov-end.mp4"));
    const source = await r2RangeReader(env.MEDIA, key);
    const movie = await readMovie(source);
    await env.MEDIA.put(key, fixture("av-faststart.mp4"));
    await expect(writeCut(planCut(movie, { start: 2, end: 4 }), source, memorySink())).rejects.toThrow(MediaSourceChangedError);
  });

  it("uploads equal multipart parts, a single put when small, nothing on abort", async () => {
    const part = 5 * 1024 * 1024;
    const total = 2 * part + 1234567;
    const data = new Uint8Array(total);
    for (let i = 0; i < total; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(total, i + 65536)));
    const key = `media-test/${crypto.randomUUID()}`;
    const sink = r2MultipartSink(env.MEDIA, `${key}/big`, { partSize: part });
    for (let at = 0, step = 777_777; at < total; at += step) await sink.write(data.subarray(at, Math.min(total, at + step)));
    expect(await sink.close()).toEqual({ size: total, parts: 3 });
    const stored = await env.MEDIA.get(`${key}/big`);
    expect(await sha256((stored as R2ObjectBody).arrayBuffer())).toBe(await sha256(data));

    const small = r2MultipartSink(env.MEDIA, `${key}/small`, { partSize: part });
    await small.write(data.subarray(0, 1000));
    expect(await small.close()).toEqual({ size: 1000, parts: 0 });

    const aborted = r2MultipartSink(env.MEDIA, `${key}/aborted`, { partSize: part });
    await aborted.write(data.subarray(0, part + 10));
    await aborted.abort();
    expect(await env.MEDIA.head(`${key}/aborted`)).toBeNull();
    expect(() => r2MultipartSink(env.MEDIA, "x", { partSize: 1024 })).toThrow(RangeError);
  });
});

import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CHUNK_GRANULARITY, YouTubeClient, type UploadProgress } from "../src/integrations/youtube/client";
import { nextPacificMidnight, QuotaExceededError, quotaDay, UploadSessionExpiredError, YouTubeError } from "../src/integrations/youtube/errors";
import type { YouTubeVideoMetadata } from "../src/integrations/youtube/metadata";
import { VkClient, vkVideoUrl } from "../src/integrations/vk/client";
import { attachmentDisposition, contiguousPrefix } from "../src/integrations/vk/upload-ranges";
import { VkApiError, VkCaptchaError } from "../src/integrations/vk/errors";
import { YandexDiskClient } from "../src/integrations/yandex-disk/client";
import { YandexDiskError } from "../src/integrations/yandex-disk/errors";
import { FakeYouTube } from "./fakes/fake-youtube";
import { FakeVk } from "./fakes/fake-vk";
import { FakeYandexDisk, LINK_TTL_MS } from "./fakes/fake-yandex";

const MiB = 1024 * 1024;
const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

afterEach(() => vi.restoreAllMocks());

/**
 * Streams `size` deterministic bytes (a xorshift block, each MiB stamped with its index so a
 * misplaced chunk changes the hash) into R2 through a FixedLengthStream; returns their SHA-256.
 */
async function putGenerated(key: string, size: number, seed = 2463534242): Promise<string> {
  const base = new Uint8Array(MiB);
  let x = seed;
  for (let i = 0; i < MiB; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    base[i] = x & 0xff;
  }
  const fixed = new FixedLengthStream(size);
  const digest = new crypto.DigestStream("SHA-256");
  const writing = (async () => {
    const out = fixed.writable.getWriter();
    const hash = digest.getWriter();
    for (let offset = 0, index = 0; offset < size; offset += MiB, index++) {
      const block = base.slice(0, Math.min(MiB, size - offset));
      if (block.byteLength >= 4) new DataView(block.buffer).setUint32(0, index);
      await hash.write(block.slice());
      await out.write(block);
    }
    await Promise.all([out.close(), hash.close()]);
  })();
  await Promise.all([env.MEDIA.put(key, fixed.readable), writing]);
  return hex(await digest.digest);
}

async function rangeOf(key: string, offset: number, length: number): Promise<ReadableStream<Uint8Array>> {
  const object = await env.MEDIA.get(key, { range: { offset, length } });
  if (!object) throw new Error(`${key} is missing`);
  return object.body;
}

/** A stored credential's tokens: `values[n]` after n invalidations; counts both. */
function tokenSource(...values: string[]) {
  const source = {
    calls: 0,
    invalidations: 0,
    async token() {
      source.calls += 1;
      return values[Math.min(source.invalidations, values.length - 1)]!;
    },
    invalidate() {
      source.invalidations += 1;
    },
  };
  return source;
}

const metadata = (title = "Lecture 7: Transformers"): YouTubeVideoMetadata => ({
  snippet: { title, description: "Attention, step by step.", tags: ["ml", "transformers"], categoryId: "27", defaultLanguage: "ru" },
  status: { privacyStatus: "unlisted", selfDeclaredMadeForKids: false, embeddable: true, license: "youtube" },
});

/** What the publishing stage persists between queue messages (only plain JSON survives). */
interface UploadState {
  sessionUrl: string | null;
  offset: number;
  videoId: string | null;
  needsQuery: boolean;
  sessions: number;
  errors: string[];
}

/**
 * One queue message of the upload step, as the stage would run it: start or resume the session,
 * then send one chunk read from R2; any failure is recorded and the next message asks the
 * session where it stands. Restarts only when the session is gone and no video id is known.
 */
async function uploadStep(client: YouTubeClient, saved: string, key: string, size: number, chunkBytes: number): Promise<string> {
  const state = JSON.parse(saved) as UploadState;
  try {
    if (!state.sessionUrl) {
      state.sessionUrl = await client.startResumableSession({ metadata: metadata(), size, contentType: "video/mp4" });
      state.offset = 0;
      state.sessions += 1;
    }
    let progress: UploadProgress | null = null;
    if (state.needsQuery) {
      progress = await client.queryOffset(state.sessionUrl, size);
      state.needsQuery = false;
    }
    if (progress?.state !== "complete") {
      if (progress) state.offset = progress.offset;
      const length = Math.min(chunkBytes, size - state.offset);
      progress = await client.uploadChunk(state.sessionUrl, { offset: state.offset, length, size, body: await rangeOf(key, state.offset, length) });
    }
    if (progress.state === "complete") state.videoId = progress.videoId;
    else state.offset = progress.offset;
  } catch (error) {
    if (!(error instanceof YouTubeError)) throw error;
    state.errors.push(error.kind);
    if (error instanceof UploadSessionExpiredError && !state.videoId) {
      state.sessionUrl = null;
      state.needsQuery = false;
    } else if (error.retryable) state.needsQuery = true;
    else throw error;
  }
  return JSON.stringify(state);
}

async function driveUpload(client: YouTubeClient, key: string, size: number, chunkBytes: number, maxMessages = 200): Promise<UploadState> {
  let saved = JSON.stringify({ sessionUrl: null, offset: 0, videoId: null, needsQuery: false, sessions: 0, errors: [] } satisfies UploadState);
  for (let message = 0; message < maxMessages; message++) {
    saved = await uploadStep(client, saved, key, size, chunkBytes);
    const state = JSON.parse(saved) as UploadState;
    if (state.videoId) return state;
  }
  throw new Error(`no video after ${maxMessages} messages: ${saved}`);
}

describe("YouTube resumable upload", () => {
  let yt: FakeYouTube;
  beforeEach(() => {
    yt = new FakeYouTube();
    vi.spyOn(globalThis, "fetch").mockImplementation(yt.handle);
  });
  const client = (tokens = tokenSource("ya29.valid"), now?: () => Date) => new YouTubeClient({ apiBase: yt.apiBase, uploadBase: yt.uploadBase, tokens, now });

  // The slowest test of the file (~4 s on 2 cores): 300 MiB generated into R2, then streamed chunk by chunk.
  it("uploads 300 MiB chunk by chunk through a 5xx, a dropped connection and a lost chunk into exactly one intact video", async () => {
    const size = 300 * MiB;
    const chunk = 16 * MiB;
    const expected = await putGenerated("publish/yt-300.mp4", size);
    // Chunk requests 3, 7 and 11 fail: 503; the connection drops after 5 MiB + 1000 bytes; the server keeps 9 MiB of 16.
    yt.faults.chunk.push(null, null, { type: "error", status: 503, reason: "backendError" }, null, null, null);
    yt.faults.chunk.push({ type: "drop", afterBytes: 5 * MiB + 1000 }, null, null, null, { type: "lose", keepBytes: 9 * MiB });
    const state = await driveUpload(client(), "publish/yt-300.mp4", size, chunk);

    const video = yt.onlyVideo();
    expect(video).toMatchObject({ id: state.videoId, size, sha256: expected, notifySubscribers: true }); // YouTube's default unless a preset says otherwise
    expect(state).toMatchObject({ sessions: 1, errors: ["server", "network"] });
    expect(yt.sessions.size).toBe(1);
    expect(yt.overlapBytes).toBe(0);
    const chunks = yt.log.filter((r) => r.endpoint === "chunk");
    // 19 accepted chunks (the 5 MiB kept of the dropped one and the 7 MiB lost shift the rest) and the 2 failed ones.
    expect(chunks).toHaveLength(21);
    expect(chunks.filter((r) => r.status === 308 || r.status === 201)).toHaveLength(19);
    expect(chunks[2]).toMatchObject({ status: 503, contentRange: `bytes ${2 * chunk}-${3 * chunk - 1}/${size}` });
    expect(chunks[3]!.contentRange).toBe(`bytes ${2 * chunk}-${3 * chunk - 1}/${size}`);
    expect(chunks[6]).toMatchObject({ status: "dropped", contentRange: `bytes ${5 * chunk}-${6 * chunk - 1}/${size}` });
    // The server kept the 20 whole 256 KiB units of the dropped chunk; the resumed chunk starts there.
    expect(chunks[7]!.contentRange).toBe(`bytes ${5 * chunk + 5 * MiB}-${5 * chunk + 5 * MiB + chunk - 1}/${size}`);
    // The lost chunk (the 11th request) was answered with a Range 7 MiB short; the next one starts there.
    const lostStart = 5 * chunk + 5 * MiB + 3 * chunk;
    expect(chunks[10]).toMatchObject({ status: 308, contentRange: `bytes ${lostStart}-${lostStart + chunk - 1}/${size}` });
    expect(chunks[11]!.contentRange).toBe(`bytes ${lostStart + 9 * MiB}-${lostStart + 9 * MiB + chunk - 1}/${size}`);
    expect(yt.log.filter((r) => r.endpoint === "query")).toHaveLength(2);
    await env.MEDIA.delete("publish/yt-300.mp4");
  });

  it("restarts an expired session, refreshes a token that expired mid-upload and finds the video after the last chunk's answer was lost", async () => {
    const size = 3 * MiB + 12_345;
    const expected = await putGenerated("publish/yt-small.mp4", size, 88675123);
    const tokens = tokenSource("ya29.valid", "ya29.fresh");
    const yt2 = client(tokens);
    const url = await yt2.startResumableSession({ metadata: metadata(), size, contentType: "video/mp4" });
    // Nothing sent yet: 308 without Range means offset 0.
    expect(await yt2.queryOffset(url, size)).toEqual({ state: "incomplete", offset: 0 });
    expect(await yt2.uploadChunk(url, { offset: 0, length: MiB, size, body: await rangeOf("publish/yt-small.mp4", 0, MiB) })).toEqual({ state: "incomplete", offset: MiB });
    // The session expires: the caller learns it from the status query and starts over (no video existed).
    yt.faults.query.push({ type: "expire" });
    await expect(yt2.queryOffset(url, size)).rejects.toBeInstanceOf(UploadSessionExpiredError);
    expect(yt.videosCreated).toBe(0);

    yt.faults.chunk.push(null, null, null, { type: "commit-then-fail" });
    let saved = JSON.stringify({ sessionUrl: null, offset: 0, videoId: null, needsQuery: false, sessions: 1, errors: [] } satisfies UploadState);
    saved = await uploadStep(yt2, saved, "publish/yt-small.mp4", size, MiB);
    saved = await uploadStep(yt2, saved, "publish/yt-small.mp4", size, MiB);
    // The access token expires mid-upload: the chunk answers 401, the client refreshes and asks the session.
    yt.validTokens.delete("ya29.valid");
    yt.validTokens.add("ya29.fresh");
    saved = await uploadStep(yt2, saved, "publish/yt-small.mp4", size, MiB);
    expect(JSON.parse(saved)).toMatchObject({ offset: 2 * MiB, videoId: null });
    expect(tokens.invalidations).toBe(1);
    for (let i = 0; i < 4 && !(JSON.parse(saved) as UploadState).videoId; i++) saved = await uploadStep(yt2, saved, "publish/yt-small.mp4", size, MiB);
    const state = JSON.parse(saved) as UploadState;
    expect(state).toMatchObject({ sessions: 2, errors: ["server"] });
    expect(yt.onlyVideo()).toMatchObject({ id: state.videoId, size, sha256: expected });
    // The lost answer did not make a second video: the status query returned the first one.
    expect(yt.log.filter((r) => r.endpoint === "query").at(-1)?.status).toBe(200);
  });

  it("sends each non-final chunk as a multiple of 256 KiB and refuses anything else before calling out", async () => {
    const yt2 = client();
    await expect(yt2.uploadChunk("https://youtube-upload.fake/x", { offset: 0, length: CHUNK_GRANULARITY + 1, size: 10 * MiB, body: new ReadableStream() })).rejects.toBeInstanceOf(RangeError);
    await expect(yt2.uploadChunk("https://youtube-upload.fake/x", { offset: MiB, length: 10 * MiB, size: 10 * MiB, body: new ReadableStream() })).rejects.toBeInstanceOf(RangeError);
    expect(yt.log).toHaveLength(0);
  });

  it("classifies quotaExceeded as quota with the Pacific-midnight reset and never refreshes the token for it", async () => {
    const tokens = tokenSource("ya29.valid", "ya29.other");
    yt.quotaUsed = yt.quotaLimit - 100; // less than the 1600 units of videos.insert
    const error = await client(tokens, () => new Date("2025-01-16T09:00:00Z"))
      .startResumableSession({ metadata: metadata(), size: 1000, contentType: "video/mp4" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toMatchObject({ kind: "quota", reason: "quotaExceeded", retryable: false, status: 403 });
    expect((error as QuotaExceededError).message).not.toContain("<a");
    expect((error as QuotaExceededError).resetsAt.toISOString()).toBe("2025-01-17T08:00:00.000Z");
    expect((error as QuotaExceededError).retryAfterSeconds).toBe(23 * 3600);
    expect(tokens).toMatchObject({ calls: 1, invalidations: 0 });
    expect(yt.log.filter((r) => r.endpoint === "start")).toHaveLength(1);

    yt.quotaUsed = 0;
    yt.faults.start.push({ type: "error", status: 400, reason: "uploadLimitExceeded" }, { type: "error", status: 403, reason: "forbidden" }, { type: "error", status: 403, reason: "rateLimitExceeded" });
    const upload = () => client(tokens).startResumableSession({ metadata: metadata(), size: 1000, contentType: "video/mp4" }).catch((e: unknown) => e);
    expect(await upload()).toMatchObject({ kind: "quota", reason: "uploadLimitExceeded", retryable: false });
    expect(await upload()).toMatchObject({ kind: "forbidden", reason: "forbidden", retryable: false });
    expect(await upload()).toMatchObject({ kind: "rate_limited", retryable: true });
    expect(tokens.invalidations).toBe(0);
  });

  it("computes the quota reset across daylight-saving changes", () => {
    expect(nextPacificMidnight(new Date("2025-07-01T06:00:00Z")).toISOString()).toBe("2025-07-01T07:00:00.000Z"); // 23:00 PDT
    expect(nextPacificMidnight(new Date("2025-03-09T07:30:00Z")).toISOString()).toBe("2025-03-09T08:00:00.000Z"); // 23:30 PST, DST starts at 02:00
    expect(nextPacificMidnight(new Date("2025-03-09T12:00:00Z")).toISOString()).toBe("2025-03-10T07:00:00.000Z");
    expect(nextPacificMidnight(new Date("2025-11-02T07:00:00Z")).toISOString()).toBe("2025-11-03T08:00:00.000Z"); // 00:00 PDT, DST ends
    expect(quotaDay(new Date("2025-07-01T06:59:59Z"))).toBe("2025-06-30");
    expect(quotaDay(new Date("2025-07-01T07:00:00Z"))).toBe("2025-07-01");
  });

  it("answers a 401 with one refresh and retry; a second 401 is an auth failure that needs reconnecting", async () => {
    const tokens = tokenSource("ya29.stale", "ya29.valid");
    const url = await client(tokens).startResumableSession({ metadata: metadata(), size: 1000, contentType: "video/mp4" });
    expect(url).toMatch(/^https:\/\/youtube-upload\.fake\/upload\/youtube\/v3\/videos\?uploadType=resumable&upload_id=/);
    expect(tokens).toMatchObject({ calls: 2, invalidations: 1 });
    expect(yt.log.map((r) => r.status)).toEqual([401, 200]);

    const revoked = tokenSource("ya29.revoked", "ya29.also-revoked");
    const error = await client(revoked).addToPlaylist("PL1", "x").catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "auth", retryable: false, status: 401, reason: "authError" });
    expect(revoked).toMatchObject({ calls: 2, invalidations: 1 });
  });

  it("adds the video to a playlist, sets its thumbnail and uploads captions; cleans metadata YouTube would refuse", async () => {
    const size = 600_000;
    await putGenerated("publish/yt-tiny.mp4", size, 123456789);
    const yt2 = client();
    const dirty = metadata(`<b>Lecture</b> ${"x".repeat(150)}`);
    dirty.snippet.description = "a < b and c > d\u0000";
    dirty.status.publishAt = "2030-02-01T10:00:00Z";
    const url = await yt2.startResumableSession({ metadata: dirty, size, contentType: "video/mp4" });
    const done = await yt2.uploadChunk(url, { offset: 0, length: size, size, body: await rangeOf("publish/yt-tiny.mp4", 0, size) });
    if (done.state !== "complete") throw new Error(`expected the single chunk to finish the upload, got ${JSON.stringify(done)}`);
    const snippet = yt.onlyVideo().resource.snippet as { title: string; description: string };
    expect([...snippet.title]).toHaveLength(100);
    expect(snippet.title).not.toMatch(/[<>]/);
    expect(snippet.description).toBe("a  b and c  d");
    expect(yt.onlyVideo().resource.status).toMatchObject({ privacyStatus: "private", publishAt: "2030-02-01T10:00:00Z" });

    yt.addPlaylist("PLlectures");
    yt.faults.playlist.push({ type: "error", status: 404, reason: "videoNotFound" });
    expect(await yt2.addToPlaylist("PLlectures", done.videoId).catch((e: unknown) => e)).toMatchObject({ kind: "not_found", reason: "videoNotFound", retryable: true });
    expect((await yt2.addToPlaylist("PLlectures", done.videoId)).id).toBeTruthy();
    expect(yt.playlists.get("PLlectures")).toEqual([done.videoId]);
    expect(await yt2.addToPlaylist("PLmissing", done.videoId).catch((e: unknown) => e)).toMatchObject({ kind: "not_found", reason: "playlistNotFound", retryable: false });

    await env.MEDIA.put("publish/thumb.png", new Uint8Array(50_000).fill(7));
    await yt2.setThumbnail(done.videoId, (await env.MEDIA.get("publish/thumb.png"))!.body, "image/png");
    expect(yt.thumbnails.get(done.videoId)).toEqual({ contentType: "image/png", bytes: 50_000 });
    const requests = yt.log.length;
    expect(await yt2.setThumbnail(done.videoId, new Uint8Array(2 * MiB + 1), "image/jpeg").catch((e: unknown) => e)).toMatchObject({ kind: "invalid", retryable: false });
    expect(yt.log).toHaveLength(requests);

    const srt = "1\n00:00:12,500 --> 00:00:16,000\nДобрый день.\n";
    expect((await yt2.uploadCaption(done.videoId, { language: "ru", name: "Transcript", body: srt })).id).toBe("caption-1");
    expect(yt.captions[0]).toMatchObject({ videoId: done.videoId, language: "ru", name: "Transcript", text: srt });
    expect(yt.quotaUsed).toBe(1600 + 50 * 2 + 50 + 400); // injected faults cost nothing; refusals do
  });
});

describe("VK video upload", () => {
  let vk: FakeVk;
  beforeEach(() => {
    vk = new FakeVk();
    vi.spyOn(globalThis, "fetch").mockImplementation(vk.handle);
  });
  const client = (tokens = tokenSource("vk1.a.valid")) => new VkClient({ apiBase: vk.apiBase, tokens });

  it("saves, streams the file as multipart video_file, finds the album across pages and adds the video to it", async () => {
    const size = 3 * MiB + 777;
    const expected = await putGenerated("publish/vk.mp4", size, 362436069);
    const groupId = 123456;
    for (let i = 0; i < 130; i++) vk.addAlbum(-groupId, `Album ${i}`);
    const albumId = vk.addAlbum(-groupId, "Lectures 2025");
    const vkc = client();
    const saved = await vkc.videoSave({ name: `Лекция 7 ${"я".repeat(200)}`, description: "Attention", privacy_view: ["all"], privacy_comment: "friends", group_id: groupId, wallpost: false, repeat: false, no_comments: true });
    expect(saved).toMatchObject({ owner_id: -groupId, video_id: expect.any(Number) });
    expect(saved.upload_url.startsWith(vk.uploadOrigin)).toBe(true);
    // An upload host hiccup: posting again to the same upload_url replaces the same video's file.
    vk.fault("upload", { http: 503 });
    const first = await vkc.uploadVideo(saved.upload_url, { body: await rangeOf("publish/vk.mp4", 0, size), length: size, filename: "lecture.mp4" }).catch((e: unknown) => e);
    expect(first).toMatchObject({ kind: "server", retryable: true, status: 503 });
    const result = await vkc.uploadVideo(saved.upload_url, { body: await rangeOf("publish/vk.mp4", 0, size), length: size, filename: "lecture.mp4" });
    expect(result).toMatchObject({ video_id: saved.video_id, owner_id: -groupId });
    expect(vk.uploadedVideos).toHaveLength(1);
    const video = vk.uploadedVideos[0]!;
    expect(video.upload).toMatchObject({ bytes: size, sha256: expected, filename: "lecture.mp4" });
    expect(video.upload!.contentLength).toBeGreaterThan(size);
    expect([...video.name]).toHaveLength(128);
    expect(video.params).toMatchObject({ group_id: String(groupId), privacy_view: "all", privacy_comment: "friends", wallpost: "0", repeat: "0", no_comments: "1" });

    const album = await vkc.findAlbum(-groupId, "lectures 2025");
    expect(album).toMatchObject({ id: albumId, count: 0 });
    expect(vk.calls.filter((c) => c.method === "video.getAlbums").map((c) => [c.params.offset, c.params.extended])).toEqual([["0", "1"], ["100", "1"]]);
    await vkc.addToAlbum({ targetId: -groupId, albumId, ownerId: saved.owner_id, videoId: saved.video_id });
    await vkc.addToAlbum({ targetId: -groupId, albumId, ownerId: saved.owner_id, videoId: saved.video_id }); // 800 "already added" = done
    expect(video.albums).toEqual([albumId]);
    expect(await vkc.findAlbum(-groupId, "No such album")).toBeNull();

    await vkc.setThumbnail({ ownerId: saved.owner_id, videoId: saved.video_id, body: new Uint8Array(10_000).fill(1), contentType: "image/jpeg" });
    expect(video.thumb).toContain('"photo"');
    expect(vk.calls.find((c) => c.method === "video.saveUploadedThumb")?.v).toBe("5.241");
    expect(new Set(vk.calls.filter((c) => c.method !== "video.saveUploadedThumb").map((c) => c.v))).toEqual(new Set(["5.199"]));
    expect(vkVideoUrl(saved.owner_id, saved.video_id)).toBe(`https://vk.com/video-${groupId}_${saved.video_id}`);
  });

  it("uploads in resumable Content-Range chunks: gaps re-sent, a lost answer found by asking the host, an expired upload_url refused", async () => {
    const size = 3 * MiB + 4321;
    const expected = await putGenerated("publish/vk-chunks.mp4", size, 88172645);
    const vkc = client();
    const saved = await vkc.videoSave({ name: "Лекция 12", description: "" });
    const chunk = async (offset: number, length: number) =>
      vkc.uploadChunk(saved.upload_url, { offset, length, size, body: await rangeOf("publish/vk-chunks.mp4", offset, length), filename: "лекция 12.mp4" });
    expect(await vkc.uploadedBytes(saved.upload_url, size)).toEqual({ state: "incomplete", offset: 0 });
    expect(await chunk(0, MiB)).toEqual({ state: "incomplete", offset: MiB });
    // A chunk past a gap is held, but the upload continues from the end of the run that starts at 0.
    expect(await chunk(2 * MiB, MiB)).toEqual({ state: "incomplete", offset: MiB });
    // The answer to this chunk is lost after the host stored it: the host's report says where to go on.
    vk.fault("chunk", { drop: "after" });
    expect(await chunk(MiB, MiB).catch((e: unknown) => e)).toMatchObject({ kind: "network", retryable: true });
    expect(await vkc.uploadedBytes(saved.upload_url, size)).toEqual({ state: "incomplete", offset: 3 * MiB });
    vk.fault("chunk", { http: 503 });
    expect(await chunk(3 * MiB, 4321).catch((e: unknown) => e)).toMatchObject({ kind: "server", retryable: true, status: 503 });
    expect(await chunk(3 * MiB, 4321)).toEqual({ state: "complete", result: expect.objectContaining({ video_id: saved.video_id, owner_id: saved.owner_id }) });
    expect(await vkc.uploadedBytes(saved.upload_url, size)).toMatchObject({ state: "complete" });
    expect(vk.uploadedVideos).toHaveLength(1);
    expect(vk.uploadedVideos[0]!.upload).toMatchObject({ bytes: size, sha256: expected, filename: "лекция 12.mp4" });
    expect(vk.chunkRequests.map((r) => r.range)).toEqual([`bytes 0-${MiB - 1}/${size}`, `bytes ${2 * MiB}-${3 * MiB - 1}/${size}`, `bytes ${MiB}-${2 * MiB - 1}/${size}`, `bytes ${3 * MiB}-${size - 1}/${size}`, `bytes ${3 * MiB}-${size - 1}/${size}`]);
    expect(new Set(vk.chunkRequests.map((r) => r.contentType))).toEqual(new Set(["application/octet-stream"]));
    expect(vk.chunkRequests[0]!.disposition).toBe(attachmentDisposition("лекция 12.mp4"));

    // Nothing is sent for a chunk that does not fit, and an expired upload_url needs a new video.save.
    await expect(vkc.uploadChunk(saved.upload_url, { offset: size - 10, length: 20, size, body: new Blob([]).stream(), filename: "x.mp4" })).rejects.toMatchObject({ kind: "invalid" });
    const expired = saved.upload_url.replace(/expires=\d+/, "expires=1");
    await expect(vkc.uploadedBytes(expired, size)).rejects.toMatchObject({ kind: "upload_failed", retryable: false, status: 404 });
    // The single multipart upload stops at OK.ru's 2 GB, before calling out.
    const calls = vk.calls.length;
    await expect(vkc.uploadVideo(saved.upload_url, { body: new Blob([]).stream(), length: 2_000_000_001, filename: "big.mp4" })).rejects.toMatchObject({ kind: "invalid" });
    expect(vk.calls.length).toBe(calls);
  });

  it("reads the upload host's range reports", () => {
    expect(contiguousPrefix("")).toBe(0);
    expect(contiguousPrefix("0-262143/1323077")).toBe(262144);
    expect(contiguousPrefix("bytes 0-99/1000, 100-199/1000")).toBe(200);
    expect(contiguousPrefix("0-99/1000,300-399/1000")).toBe(100);
    expect(contiguousPrefix("300-399/*")).toBe(0);
    expect(contiguousPrefix("<html>busy</html>")).toBeNull();
    expect(attachmentDisposition("lecture.mp4")).toBe('attachment; filename="lecture.mp4"');
    expect(attachmentDisposition('a"b.mp4')).toBe(`attachment; filename="a_b.mp4"; filename*=UTF-8''a%22b.mp4`);
  });

  it("classifies VK's HTTP-200 errors: 5 after one refresh, 6 and 9 retryable, 14 captcha, others permanent", async () => {
    const tokens = tokenSource("vk1.a.expired", "vk1.a.valid");
    vk.fault("video.save", { error_code: 5 });
    const vkc = client(tokens);
    expect((await vkc.videoSave({ name: "A", description: "" })).video_id).toBeGreaterThan(0);
    expect(tokens).toMatchObject({ calls: 2, invalidations: 1 });

    vk.fault("video.save", { error_code: 5 }, { error_code: 5 });
    const auth = await vkc.videoSave({ name: "A", description: "" }).catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(VkApiError);
    expect(auth).toMatchObject({ kind: "auth", code: 5, retryable: false });

    const save = () => vkc.videoSave({ name: "A", description: "" }).catch((e: unknown) => e);
    vk.fault("video.save", { error_code: 6 }, { error_code: 9 }, { error_code: 14 }, { error_code: 14, extra: { captcha_sid: "548", captcha_img: "https://api.vk.com/captcha.php?sid=548" } }, { error_code: 100 }, { error_code: 15 }, { http: 502 });
    expect(await save()).toMatchObject({ kind: "rate_limited", code: 6, retryable: true, retryAfterSeconds: 1 });
    expect(await save()).toMatchObject({ kind: "flood_control", code: 9, retryable: true });
    const captcha = await save();
    expect(captcha).toBeInstanceOf(VkCaptchaError);
    expect(captcha).toMatchObject({ kind: "captcha", code: 14, retryable: false, redirectUri: expect.stringContaining("not_robot_captcha") });
    expect((captcha as Error).message).toMatch(/captcha/i);
    expect(await save()).toMatchObject({ kind: "captcha", captchaSid: "548", redirectUri: null });
    expect(await save()).toMatchObject({ kind: "invalid", code: 100, retryable: false });
    expect(await save()).toMatchObject({ kind: "forbidden", code: 15, retryable: false });
    expect(await save()).toMatchObject({ kind: "server", status: 502, retryable: true });
    expect(tokens.invalidations).toBe(2);

    const saved = await vkc.videoSave({ name: "B", description: "" });
    vk.fault("upload", { uploadError: "invalid signature" });
    await env.MEDIA.put("publish/vk-small.mp4", new Uint8Array(1000));
    expect(await vkc.uploadVideo(saved.upload_url, { body: await rangeOf("publish/vk-small.mp4", 0, 1000), length: 1000, filename: "a.mp4" }).catch((e: unknown) => e)).toMatchObject({
      kind: "upload_failed",
      retryable: false,
    });
    // No token ever travels in a URL.
    expect(vk.calls.every((c) => !("access_token" in c.params))).toBe(true);
  });
});

describe("Yandex Disk upload", () => {
  let disk: FakeYandexDisk;
  beforeEach(() => {
    disk = new FakeYandexDisk();
    vi.spyOn(globalThis, "fetch").mockImplementation(disk.handle);
  });
  const client = (tokens = tokenSource("y0_valid")) => new YandexDiskClient({ apiBase: disk.apiBase, tokens });

  it("creates nested folders once, accepts existing ones and refuses a file in the way", async () => {
    const yd = client();
    expect(await yd.ensureFolder("disk:/Lectures/2025/Spring")).toEqual({ created: ["disk:/Lectures", "disk:/Lectures/2025", "disk:/Lectures/2025/Spring"] });
    expect(disk.log.map((r) => r.status)).toEqual([409, 201, 201, 201]);
    disk.log.length = 0;
    expect(await yd.ensureFolder("/Lectures/2025/Spring/")).toEqual({ created: [] });
    expect(await yd.ensureFolder("/Lectures/2025/Autumn")).toEqual({ created: ["/Lectures/2025/Autumn"] });
    expect(disk.log.map((r) => r.status)).toEqual([409, 201]);
    expect(disk.log.every((r) => r.auth === "OAuth y0_valid")).toBe(true);
    disk.resources.set("/Lectures/notes", { type: "file", size: 1, created: "" });
    expect(await yd.ensureFolder("/Lectures/notes").catch((e: unknown) => e)).toMatchObject({ kind: "already_exists", retryable: false });
  });

  it("gets an upload link and PUTs the file from R2; an expired link is replaced; 507 and 409 are classified", async () => {
    const size = 2 * MiB + 5;
    const expected = await putGenerated("publish/yd.mp4", size, 521288629);
    const yd = client();
    await yd.ensureFolder("/Video");
    const link = await yd.uploadLink("/Video/lecture.mp4", false);
    expect(link).toMatchObject({ method: "PUT", templated: false, operationId: expect.any(String) });
    disk.clockOffsetMs = LINK_TTL_MS + 60_000; // the link sat unused for 31 minutes
    const expired = await yd.putFile(link.href, await rangeOf("publish/yd.mp4", 0, size), size).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(YandexDiskError);
    expect(expired).toMatchObject({ kind: "link_expired", retryable: true, status: 410 });
    const fresh = await yd.uploadLink("/Video/lecture.mp4", false);
    expect(await yd.putFile(fresh.href, await rangeOf("publish/yd.mp4", 0, size), size, { contentType: "video/mp4" })).toEqual({ status: 201 });
    expect(disk.resources.get("/Video/lecture.mp4")).toMatchObject({ type: "file", size, sha256: expected });
    expect(disk.log.filter((r) => r.endpoint === "put").every((r) => r.auth === null)).toBe(true);

    const exists = await yd.uploadLink("/Video/lecture.mp4", false).catch((e: unknown) => e);
    expect(exists).toMatchObject({ kind: "already_exists", code: "DiskResourceAlreadyExistsError", status: 409, retryable: false });
    expect((exists as Error).message).toContain("Ресурс уже существует.");
    expect(await yd.getResource("/Video/lecture.mp4", ["size", "sha256"])).toEqual({ size, sha256: expected });
    expect(await yd.uploadLink("/Missing/x.mp4", false).catch((e: unknown) => e)).toMatchObject({ kind: "parent_missing" });

    disk.freeBytes = 1000;
    const overwrite = await yd.uploadLink("/Video/lecture.mp4", true);
    expect(await yd.putFile(overwrite.href, await rangeOf("publish/yd.mp4", 0, size), size).catch((e: unknown) => e)).toMatchObject({
      kind: "insufficient_storage",
      status: 507,
      retryable: false,
    });
    disk.freeBytes = Number.POSITIVE_INFINITY;
    disk.asyncUploads = true;
    const again = await yd.uploadLink("/Video/lecture.mp4", true);
    expect(await yd.putFile(again.href, await rangeOf("publish/yd.mp4", 0, size), size)).toEqual({ status: 202 });
    expect(await yd.operationStatus(again.operationId!)).toBe("success");
    disk.faults.uploadLink.push({ status: 507, error: "InsufficientStorageError" }, { status: 429, error: "TooManyRequestsError" });
    expect(await yd.uploadLink("/Video/b.mp4", false).catch((e: unknown) => e)).toMatchObject({ kind: "insufficient_storage", retryable: false });
    expect(await yd.uploadLink("/Video/b.mp4", false).catch((e: unknown) => e)).toMatchObject({ kind: "rate_limited", retryable: true });
  });

  it("publishes and reads the public URL; refreshes a refused token once", async () => {
    const tokens = tokenSource("y0_expired", "y0_valid");
    const yd = client(tokens);
    await yd.ensureFolder("/Pub");
    expect(tokens.invalidations).toBe(1);
    disk.resources.set("/Pub/a.mp4", { type: "file", size: 10, created: "" });
    expect(await yd.publicUrl("/Pub/a.mp4").catch((e: unknown) => e)).toMatchObject({ kind: "missing_public_url" });
    await yd.publish("/Pub/a.mp4");
    const url = await yd.publicUrl("disk:/Pub/a.mp4");
    expect(url).toMatch(/^https:\/\/yadi\.sk\/d\//);
    await yd.publish("/Pub/a.mp4");
    expect(await yd.publicUrl("/Pub/a.mp4")).toBe(url);
    expect(await yd.publish("/Pub/none.mp4").catch((e: unknown) => e)).toMatchObject({ kind: "not_found", code: "DiskNotFoundError" });
    const revoked = tokenSource("y0_bad", "y0_worse");
    expect(await client(revoked).publish("/Pub/a.mp4").catch((e: unknown) => e)).toMatchObject({ kind: "auth", retryable: false });
    expect(revoked.invalidations).toBe(1);
  });
});

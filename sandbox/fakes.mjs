// Simulated providers for the local sandbox (`npm run dev:sandbox`): plain node:http servers on
// 127.0.0.1, no network, no accounts. Development code only; nothing in src/ imports it.
//
//   zoom     "Sandbox Zoom (simulated)": the Server-to-Server token grant, /v2/users/me, the
//            recordings list and one meeting's recordings (with download_access_token), the file
//            download (302 to a signed "storage" URL that honours Range, like Zoom), and a control
//            endpoint, POST /_sandbox/meetings, that makes the next sample meeting "arrive": it is
//            added to the account's recordings and a signed `recording.completed` webhook is sent
//            to the app (what `npm run sandbox:meeting` calls).
//   ai       one OpenAI-compatible server for transcription and chat: POST /v1/audio/transcriptions
//            (Fireworks' shape with a raw key, OpenAI's with a Bearer key), POST /chat/completions
//            (DeepSeek) and /v1/chat/completions (OpenAI): a scripted transcript and chapters.
//   youtube  the resumable upload (session POST → Location, chunk PUTs → 308/201, `bytes */size`
//            status queries), captions, playlist items and thumbnails; bytes are counted, not kept.
//            Its video ids start with "SIM" and its channel is "Sandbox YouTube (simulated)".
import { createHmac, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { createServer } from "node:http";

export const SANDBOX = {
  zoom: { account_id: "sandbox-account", client_id: "sandbox-client", client_secret: "sandbox-client-secret" },
  zoomWebhookSecret: "sandbox-webhook-secret-token",
  downloadToken: "sandbox-download-token",
  asrKey: "sk-sandbox-asr-simulated",
  llmKey: "sk-sandbox-llm-simulated",
  youtubeToken: "ya29.sandbox-simulated-token",
};

/**
 * The `wrangler dev --var` overrides that point the app at the simulators (used by `npm run
 * dev:sandbox` and the browser journeys' server, web/e2e/support/dev-server.ts).
 * @param {{ zoom: { url: string, host: string }, ai: { url: string, host: string }, youtube: { url: string, host: string } }} fakes
 * @param {string} appUrl the app's own URL (PUBLIC_BASE_URL)
 * @returns {Record<string, string>}
 */
export function sandboxVars(fakes, appUrl) {
  return {
    ZOOM_API_BASE_URL: `${fakes.zoom.url}/v2`,
    ZOOM_OAUTH_BASE_URL: fakes.zoom.url,
    ZOOM_DOWNLOAD_HOSTS: fakes.zoom.host,
    OUTBOUND_HTTP_ALLOW_HOSTS: [fakes.zoom.host, fakes.ai.host, fakes.youtube.host].join(","),
    FIREWORKS_AUDIO_BASE_URL: fakes.ai.url,
    FIREWORKS_BATCH_BASE_URL: fakes.ai.url,
    FIREWORKS_LLM_BASE_URL: fakes.ai.url,
    OPENAI_BASE_URL: fakes.ai.url,
    DEEPSEEK_BASE_URL: fakes.ai.url,
    YOUTUBE_API_BASE_URL: fakes.youtube.url,
    YOUTUBE_UPLOAD_BASE_URL: fakes.youtube.url,
    // "Published" links open the simulator's watch page, not www.youtube.com.
    YOUTUBE_WATCH_BASE_URL: fakes.youtube.url,
    PUBLIC_BASE_URL: appUrl,
  };
}

/** The sample meetings, handed out in turn (each arrival gets its own meeting uuid). */
export const SAMPLE_MEETINGS = [
  { topic: "Lecture 1: Introduction to algorithms (simulated)", subject: "algorithms" },
  { topic: "Lecture 2: Sorting and searching (simulated)", subject: "sorting" },
  { topic: "Lecture 3: Graphs and shortest paths (simulated)", subject: "graphs" },
];

const VOCABULARY = (
  "today we continue with algorithms and the way we measure their cost an algorithm is a finite sequence of steps " +
  "we count the steps as the input grows and write the growth with big o notation sorting is the classic example " +
  "insertion sort takes quadratic time merge sort splits the input in halves sorts each half and merges them " +
  "binary search halves the range at every step so it needs logarithmic time on a sorted array graphs model roads " +
  "networks and dependencies dijkstra finds shortest paths when every edge weight is non negative"
).split(" ");

/** A verbose_json transcript with word timestamps for speech between speechStart and speechEnd. */
export function sampleTranscript({ duration, speechStart, speechEnd }) {
  const words = [];
  const segments = [];
  let t = speechStart;
  let index = 0;
  while (t < speechEnd - 1) {
    const seg = [];
    for (let i = 0; i < 10 && t < speechEnd - 0.3; i++) {
      let word = VOCABULARY[index++ % VOCABULARY.length];
      if (i === 0) word = word[0].toUpperCase() + word.slice(1);
      if (i === 9) word += ".";
      seg.push({ word, start: Math.round(t * 100) / 100, end: Math.round(Math.min(t + 0.3, speechEnd) * 100) / 100 });
      t += 0.4;
    }
    if (seg.length === 0) break;
    words.push(...seg);
    segments.push({
      id: segments.length,
      seek: Math.floor(seg[0].start * 100),
      start: seg[0].start,
      end: seg.at(-1).end,
      text: ` ${seg.map((w) => w.word).join(" ")}`,
      tokens: [50364],
      temperature: 0,
      avg_logprob: -0.2,
      compression_ratio: 1.3,
      no_speech_prob: 0.01,
    });
    t += 0.8;
  }
  return { task: "transcribe", language: "english", duration, text: segments.map((s) => s.text.trim()).join(" "), segments, words, usage: { type: "duration", seconds: Math.round(duration) } };
}

/** The topics answer (JSON mode) for a lecture of `seconds`: two chapters. */
export function sampleTopics(seconds) {
  const half = Math.floor(seconds / 2);
  const clock = (s) => `00:${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  return {
    summary: "A simulated lecture (sandbox): how the cost of an algorithm is measured, sorting, binary search and shortest paths.",
    main_topic: "Algorithms and their cost (simulated)",
    topics: [
      { start: clock(0), title: "Measuring the cost of an algorithm" },
      { start: clock(half), title: "Sorting, searching and graphs" },
    ],
    questions: ["Why does binary search need a sorted array?"],
  };
}

async function listen(name, port, handler, log) {
  const sockets = new Set();
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (log) log(`[${name}] ${req.method} ${url.pathname}`);
    Promise.resolve(handler(req, res, url)).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  const bind = (p) =>
    new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(p, "127.0.0.1", () => {
        server.removeListener("error", reject);
        resolve();
      });
    });
  try {
    await bind(port);
  } catch (error) {
    if (error.code !== "EADDRINUSE" || port === 0) throw error;
    await bind(0); // the preferred port is taken: any free one
  }
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}`,
    host: `127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req) {
  const chunks = [];
  let bytes = 0;
  for await (const chunk of req) {
    bytes += chunk.length;
    if (bytes <= 4 * 2 ** 20) chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString("utf8"), bytes };
}

const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function sendJson(res, status, body, headers = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/**
 * @param {{ lecture: { path: string, size: number, duration: number, speechStart: number, speechEnd: number },
 *           ports?: { zoom?: number, ai?: number, youtube?: number }, nextIndex?: () => number,
 *           log?: (line: string) => void }} options
 *   `nextIndex()`: the number of the next arrival (persisted by the caller so a restart goes on counting).
 */
export async function startSandboxFakes({ lecture, ports = {}, nextIndex, log }) {
  let arrivals = 0;
  const next = nextIndex ?? (() => ++arrivals);
  /** Where POST /_sandbox/meetings sends its webhook; set once the app is configured. */
  let app = null;
  const meetings = []; // arrived meetings, newest last
  const tokens = new Set();
  let zoomUrl = "";

  const meetingJson = (m) => ({
    uuid: m.uuid,
    id: m.id,
    account_id: SANDBOX.zoom.account_id,
    host_id: "sandbox-host",
    host_email: "lecturer@sandbox.invalid",
    topic: m.topic,
    type: 8,
    start_time: m.startTime,
    timezone: "UTC",
    duration: Math.max(1, Math.round(lecture.duration / 60)),
    total_size: lecture.size,
    recording_count: 1,
    recording_files: [
      {
        id: m.fileId,
        meeting_id: m.uuid,
        recording_start: m.startTime,
        recording_end: new Date(Date.parse(m.startTime) + lecture.duration * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
        file_type: "MP4",
        file_extension: "MP4",
        file_size: lecture.size,
        play_url: `${zoomUrl}/rec/play/${m.fileId}`,
        download_url: `${zoomUrl}/rec/download/${m.fileId}`,
        status: "completed",
        recording_type: "shared_screen_with_speaker_view",
      },
    ],
  });

  const zoom = await listen(
    "zoom",
    ports.zoom ?? 0,
    async (req, res, url) => {
      const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      if (req.method === "POST" && url.pathname === "/_sandbox/meetings") {
        // Optional body {webhook_url, secret_token}: deliver to that source instead of the configured
        // app (the browser journeys: each journey's user has its own Zoom source and webhook URL).
        const request = (await readBody(req)).text;
        let target = app;
        if (request.trim()) {
          let body;
          try {
            body = JSON.parse(request);
          } catch {
            return sendJson(res, 400, { error: "the body is not JSON" });
          }
          if (typeof body?.webhook_url !== "string" || !/^https?:\/\//.test(body.webhook_url) || typeof body?.secret_token !== "string") {
            return sendJson(res, 400, { error: "give webhook_url (http or https) and secret_token, or no body" });
          }
          target = { webhookUrl: body.webhook_url, secret: body.secret_token };
        }
        if (!target) return sendJson(res, 503, { error: "the sandbox app is not configured yet" });
        const n = next();
        const sample = SAMPLE_MEETINGS[(n - 1) % SAMPLE_MEETINGS.length];
        const stamp = `${Date.now().toString(36)}${n}`;
        const startTime = new Date(Date.now() - (lecture.duration + 60) * 1000).toISOString().replace(/\.\d+Z$/, "Z");
        const meeting = { n, uuid: `sandbox-${stamp}==`, id: 90000000000 + n, fileId: `sandbox-${stamp}-mp4`, topic: sample.topic, startTime };
        meetings.push(meeting);
        const raw = JSON.stringify({
          event: "recording.completed",
          event_ts: Date.now(),
          payload: { account_id: SANDBOX.zoom.account_id, object: meetingJson(meeting) },
          download_token: SANDBOX.downloadToken,
        });
        const ts = String(Math.floor(Date.now() / 1000));
        const signature = `v0=${createHmac("sha256", target.secret).update(`v0:${ts}:${raw}`).digest("hex")}`;
        const answer = await fetch(target.webhookUrl, {
          method: "POST",
          headers: { "content-type": "application/json", "x-zm-request-timestamp": ts, "x-zm-signature": signature },
          body: raw,
        });
        const text = await answer.text();
        return sendJson(res, answer.ok ? 200 : 502, { meeting: { number: n, uuid: meeting.uuid, topic: meeting.topic, start_time: startTime }, webhook: { url: target.webhookUrl, status: answer.status, body: text.slice(0, 500) } });
      }
      if (req.method === "POST" && url.pathname === "/oauth/token") {
        await readBody(req);
        const expected = `Basic ${Buffer.from(`${SANDBOX.zoom.client_id}:${SANDBOX.zoom.client_secret}`).toString("base64")}`;
        if (url.searchParams.get("grant_type") !== "account_credentials") return sendJson(res, 400, { reason: "unsupported grant type", error: "unsupported_grant_type" });
        if (req.headers.authorization !== expected || url.searchParams.get("account_id") !== SANDBOX.zoom.account_id) {
          return sendJson(res, 401, { reason: "Invalid client_id or client_secret", error: "invalid_client" });
        }
        const token = `sandbox-zoom-token-${randomUUID()}`;
        tokens.add(token);
        return sendJson(res, 200, { access_token: token, token_type: "bearer", expires_in: 3599, scope: "cloud_recording:read:list_user_recordings:admin", api_url: zoomUrl });
      }
      if (url.pathname.startsWith("/v2/")) {
        await readBody(req);
        if (!tokens.has(bearer)) return sendJson(res, 401, { code: 124, message: "Invalid access token." });
        const route = url.pathname.slice(3);
        if (req.method === "GET" && route === "/users/me") {
          return sendJson(res, 200, { id: "sandbox-host", first_name: "Sandbox", last_name: "Lecturer (simulated)", email: "lecturer@sandbox.invalid", account_id: SANDBOX.zoom.account_id });
        }
        if (req.method === "GET" && route === "/users/me/recordings") {
          const from = url.searchParams.get("from") ?? "";
          const to = url.searchParams.get("to") ?? "9999";
          const inWindow = meetings.filter((m) => m.startTime.slice(0, 10) >= from && m.startTime.slice(0, 10) <= to);
          return sendJson(res, 200, { from, to, page_count: 1, page_size: 300, total_records: inWindow.length, next_page_token: "", meetings: inWindow.map(meetingJson) });
        }
        const match = /^\/meetings\/([^/]+)\/recordings$/.exec(route);
        if (match) {
          const uuid = decodeURIComponent(decodeURIComponent(match[1]));
          const meeting = meetings.find((m) => m.uuid === uuid || String(m.id) === uuid);
          if (!meeting) return sendJson(res, 404, { code: 3301, message: "This recording does not exist." });
          if (req.method === "DELETE") {
            meetings.splice(meetings.indexOf(meeting), 1);
            res.writeHead(204);
            return res.end();
          }
          return sendJson(res, 200, { ...meetingJson(meeting), download_access_token: SANDBOX.downloadToken });
        }
        return sendJson(res, 404, { code: 404, message: "Not found" });
      }
      const download = /^\/rec\/download\/([^/]+)$/.exec(url.pathname);
      if (download && req.method === "GET") {
        req.resume();
        if (bearer !== SANDBOX.downloadToken && !tokens.has(bearer) && url.searchParams.get("access_token") !== SANDBOX.downloadToken) {
          return sendJson(res, 401, { code: 124, message: "Invalid access token." });
        }
        if (!meetings.some((m) => m.fileId === download[1])) return sendJson(res, 404, { code: 3301, message: "This recording does not exist." });
        res.writeHead(302, { location: `${zoomUrl}/storage/${download[1]}?sig=${randomUUID()}` });
        return res.end();
      }
      const storage = /^\/storage\/([^/]+)$/.exec(url.pathname);
      if (storage && (req.method === "GET" || req.method === "HEAD")) {
        req.resume();
        if (!meetings.some((m) => m.fileId === storage[1]) || !url.searchParams.get("sig")) {
          res.writeHead(404, { "content-type": "text/html" });
          return res.end("<html>Not found</html>");
        }
        const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
        const start = range ? Number(range[1]) : 0;
        const end = range?.[2] ? Math.min(Number(range[2]), lecture.size - 1) : lecture.size - 1;
        if (range && start >= lecture.size) {
          res.writeHead(416, { "content-range": `bytes */${lecture.size}` });
          return res.end();
        }
        res.writeHead(range ? 206 : 200, {
          "content-type": "video/mp4",
          "content-length": String(end - start + 1),
          "accept-ranges": "bytes",
          ...(range ? { "content-range": `bytes ${start}-${end}/${lecture.size}` } : {}),
        });
        if (req.method === "HEAD") return res.end();
        createReadStream(lecture.path, { start, end }).pipe(res);
        return;
      }
      req.resume();
      return sendJson(res, 404, { code: 404, message: "Not found (Sandbox Zoom, simulated)" });
    },
    log,
  );
  zoomUrl = zoom.url;

  // OpenAI-compatible transcription and chat.
  const transcript = sampleTranscript(lecture);
  const openAiText = JSON.stringify(transcript);
  const fireworksText = JSON.stringify({
    ...transcript,
    language: "en",
    usage: undefined,
    words: transcript.words.map((w) => ({ ...w, language: "en", probability: 0.97, hallucination_score: 0.01 })),
    segments: transcript.segments.map((s) => ({ ...s, text: s.text.trim() })),
  });
  const topics = sampleTopics(lecture.speechEnd - lecture.speechStart);
  const ai = await listen(
    "ai",
    ports.ai ?? 0,
    async (req, res, url) => {
      if (req.method === "POST" && url.pathname === "/v1/audio/transcriptions") {
        const shape = req.headers.authorization === SANDBOX.asrKey ? "fireworks" : req.headers.authorization === `Bearer ${SANDBOX.asrKey}` ? "openai" : null;
        await readBody(req);
        if (!shape) return sendJson(res, 401, { error: { message: "Incorrect API key provided (sandbox)", type: "invalid_request_error", code: "invalid_api_key" } });
        return sendJson(res, 200, shape === "openai" ? openAiText : fireworksText);
      }
      if (req.method === "POST" && ["/chat/completions", "/v1/chat/completions"].includes(url.pathname)) {
        const body = await readBody(req);
        if (req.headers.authorization !== `Bearer ${SANDBOX.llmKey}`) return sendJson(res, 401, { error: { message: "Authentication Fails (sandbox)", type: "authentication_error" } });
        const request = JSON.parse(body.text || "{}");
        return sendJson(res, 200, {
          id: randomUUID(),
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: request.model ?? "sandbox-simulated",
          choices: [{ index: 0, message: { role: "assistant", content: JSON.stringify(topics) }, logprobs: null, finish_reason: "stop" }],
          usage: { prompt_tokens: 900, completion_tokens: 120, total_tokens: 1020 },
        });
      }
      req.resume();
      return sendJson(res, 404, { error: { message: "not found (sandbox AI, simulated)" } });
    },
    log,
  );

  // YouTube.
  const sessions = new Map();
  const videos = new Map();
  const receivedBytes = new Map(); // video id → bytes uploaded (counted, not kept)
  let youtubeUrl = "";
  let videoCount = 0;
  /** Requests still to refuse with a 403 (set by POST /_sandbox/refuse), to show a failed publication and its retry. */
  const refusals = { upload: 0, captions: 0 };
  const youtube = await listen(
    "youtube",
    ports.youtube ?? 0,
    async (req, res, url) => {
      const googleError = (status, reason) => sendJson(res, status, { error: { code: status, message: `Sandbox ${reason}`, errors: [{ message: `Sandbox ${reason}`, domain: "youtube.api", reason }] } });
      // A watch page for a "published" video: says it is simulated.
      // (YOUTUBE_WATCH_BASE_URL points the app's "published" links here.)
      if (url.pathname === "/watch" && req.method === "GET") {
        const video = videos.get(url.searchParams.get("v") ?? "");
        const body = video
          ? `<h1>${escapeHtml(video.snippet?.title ?? video.id)}</h1>\n<p>Video <code>${escapeHtml(video.id)}</code> on the channel “${escapeHtml(video.snippet.channelTitle)}”, ${escapeHtml(video.status?.privacyStatus ?? "private")}, ${receivedBytes.get(video.id) ?? 0} bytes received.</p>\n<p>This is the sandbox's YouTube simulator: nothing was published anywhere.</p>`
          : "<h1>No such simulated video</h1>\n<p>The sandbox's YouTube simulator has no video with this id (it forgets its videos when it stops).</p>";
        const page = `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sandbox YouTube (simulated)</title></head>\n<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">\n<header><p role="note" style="background:#fff3bf;padding:.5rem 1rem;border-radius:4px"><strong>Sandbox YouTube (simulated)</strong></p></header>\n<main>\n${body}\n</main>\n</body>\n</html>\n`;
        res.writeHead(video ? 200 : 404, { "content-type": "text/html; charset=utf-8", "content-length": String(Buffer.byteLength(page)) });
        return res.end(page);
      }
      // Control: `POST /_sandbox/refuse?upload=1&captions=1` — the next video upload(s) and caption
      // track(s) are refused with YouTube's 403 `forbidden`, a failure the app does not retry by itself.
      if (url.pathname === "/_sandbox/refuse" && req.method === "POST") {
        req.resume();
        for (const what of /** @type {const} */ (["upload", "captions"])) refusals[what] = Math.max(0, Math.min(10, Number(url.searchParams.get(what) ?? 0) || 0));
        return sendJson(res, 200, { ...refusals });
      }
      if (req.headers.authorization !== `Bearer ${SANDBOX.youtubeToken}`) {
        req.resume();
        return googleError(401, "authError");
      }
      const refuse = (what) => {
        if (refusals[what] === 0) return false;
        refusals[what] -= 1;
        if (log) log(`[youtube] refused the ${what} as asked (simulated 403)`);
        return true;
      };
      if (url.pathname === "/upload/youtube/v3/videos" && req.method === "POST" && refuse("upload")) {
        req.resume();
        return googleError(403, "forbidden");
      }
      if (url.pathname === "/upload/youtube/v3/captions" && req.method === "POST" && refuse("captions")) {
        req.resume();
        return googleError(403, "forbidden");
      }
      if (url.pathname === "/upload/youtube/v3/videos" && req.method === "POST") {
        const body = JSON.parse((await readBody(req)).text || "null");
        const size = Number(req.headers["x-upload-content-length"]);
        if (url.searchParams.get("uploadType") !== "resumable" || !body) return googleError(400, "invalidUploadType");
        if (!Number.isSafeInteger(size) || size <= 0) return googleError(400, "invalidContentLength");
        const id = randomUUID().replace(/-/g, "");
        sessions.set(id, { size, committed: 0, metadata: body, videoId: null });
        res.writeHead(200, { location: `${youtubeUrl}/upload/youtube/v3/videos?uploadType=resumable&upload_id=${id}&part=snippet,status`, "content-length": "0" });
        return res.end();
      }
      if (url.pathname === "/upload/youtube/v3/videos" && req.method === "PUT") {
        const session = sessions.get(url.searchParams.get("upload_id") ?? "");
        const contentRange = req.headers["content-range"] ?? "";
        const { bytes } = await readBody(req);
        if (!session) return sendJson(res, 404, "Not Found");
        const status = () => {
          if (session.videoId) return sendJson(res, 201, videos.get(session.videoId));
          res.writeHead(308, session.committed > 0 ? { range: `bytes=0-${session.committed - 1}`, "content-length": "0" } : { "content-length": "0" });
          return res.end();
        };
        if (contentRange.startsWith("bytes */")) return status();
        const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange);
        if (!range) return googleError(400, "badContentRange");
        const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
        if (total !== session.size || start !== session.committed || end >= total || bytes !== end - start + 1) return googleError(400, "badContentRange");
        session.committed = end + 1;
        if (session.committed === session.size) {
          const videoId = `SIM${String(++videoCount).padStart(3, "0")}${randomUUID().replace(/-/g, "").slice(0, 5)}`; // 11 characters, "SIM…" = simulated
          session.videoId = videoId;
          receivedBytes.set(videoId, session.size);
          videos.set(videoId, {
            kind: "youtube#video",
            etag: randomUUID(),
            id: videoId,
            snippet: { ...session.metadata.snippet, publishedAt: new Date().toISOString(), channelId: "UC_sandbox_simulated", channelTitle: "Sandbox YouTube (simulated)" },
            status: { uploadStatus: "uploaded", ...session.metadata.status },
          });
          if (log) log(`[youtube] "uploaded" ${videoId}: ${session.metadata.snippet?.title ?? ""} (${session.size} bytes, simulated; watch page: ${youtubeUrl}/watch?v=${videoId})`);
        }
        return status();
      }
      if (url.pathname === "/upload/youtube/v3/captions" && req.method === "POST") {
        const body = (await readBody(req)).text;
        const videoId = /"videoId"\s*:\s*"([^"]+)"/.exec(body)?.[1];
        if (!videoId || !videos.has(videoId)) return googleError(404, "videoNotFound");
        return sendJson(res, 200, { kind: "youtube#caption", etag: "e", id: `sandbox-caption-${randomUUID().slice(0, 8)}`, snippet: { videoId, trackKind: "standard", status: "serving" } });
      }
      if (url.pathname === "/youtube/v3/playlistItems" && req.method === "POST") {
        const body = JSON.parse((await readBody(req)).text || "{}");
        return sendJson(res, 200, { kind: "youtube#playlistItem", etag: "e", id: randomUUID(), snippet: body.snippet });
      }
      if (url.pathname === "/upload/youtube/v3/thumbnails/set" && req.method === "POST") {
        await readBody(req);
        return sendJson(res, 200, { kind: "youtube#thumbnailSetResponse", etag: "e", items: [] });
      }
      await readBody(req);
      return sendJson(res, 404, "Not Found (Sandbox YouTube, simulated)");
    },
    log,
  );
  youtubeUrl = youtube.url;

  return {
    zoom,
    ai,
    youtube,
    videos,
    meetings,
    /** Where the control endpoint sends its signed webhooks. */
    setApp: (value) => {
      app = value;
    },
    close: () => Promise.all([zoom.close(), ai.close(), youtube.close()]).then(() => undefined),
  };
}

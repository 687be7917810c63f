// Instant local fakes of every provider a whole pipeline run talks to, for bench/pipeline-overhead.mjs:
// real HTTP servers (node:http) that answer at once and log their own busy time per request, so
// the bench can subtract it from the run's wall time.
//
//   zoom     bench/fake-zoom-server.mjs (S2S token, meeting recordings with download_access_token)
//            behind a front that serves the real lecture files from disk for /rec/download/{id}
//            (302, like Zoom) and /storage/{id} (Range → 206), and points the API's URLs at itself.
//   asr      an OpenAI-compatible POST /v1/audio/transcriptions, in Fireworks' shape (raw key) or
//            OpenAI's (Bearer key; EXTERNAL-APIS.md §5.1, §5.3): reads the streamed multipart upload
//            to its end, then answers a prepared 1-hour verbose_json.
//   llm      DeepSeek POST /chat/completions and OpenAI POST /v1/chat/completions (§6): the topics
//            JSON for a 1-hour lecture.
//   youtube  the resumable upload (§2.2: session POST → Location; chunk PUTs → 308 + Range, the last
//            → 201 with the video; `bytes */size` status queries), captions.insert, playlistItems,
//            thumbnails.set (shapes of test/fakes/fake-youtube.ts). Bytes are counted, not kept.
//
// Every request is logged as { service, method, path, arrived, bodyDone, ended, bytesIn, bytesOut }
// (Date.now() ms); `busy` = ended − arrived is the time the fake was occupied with it, transfers included.
import { createReadStream, statSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { randomUUID } from "node:crypto";
import { ACCOUNT, DOWNLOAD_TOKEN, startFakeZoom } from "./fake-zoom-server.mjs";

export { ACCOUNT, DOWNLOAD_TOKEN };
export const ASR_KEY = "sk-bench-asr-0123456789";
export const LLM_KEY = "sk-bench-llm-0123456789";
export const YOUTUBE_TOKEN = "ya29.bench-valid-token";

/** A server that logs each request's timing; `handler(req, res, row)` fills `row.bytesIn/bytesOut` as it goes. */
async function timedServer(service, log, handler) {
  const sockets = new Set();
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const row = { service, method: req.method, path: url.pathname, arrived: Date.now(), bodyDone: 0, ended: 0, bytesIn: 0, bytesOut: 0, status: 0 };
    log.push(row);
    if (process.env.BENCH_DEBUG) console.error(`[${service}] ${req.method} ${url.pathname} ${req.headers["content-range"] ?? req.headers.range ?? ""}`);
    res.once("finish", () => {
      row.ended = Date.now();
      row.status = res.statusCode;
      if (process.env.BENCH_DEBUG) console.error(`[${service}] ${req.method} ${url.pathname} → ${res.statusCode} in ${row.ended - row.arrived} ms, in ${row.bytesIn} out ${row.bytesOut}`);
    });
    res.once("close", () => {
      if (!row.ended) row.ended = Date.now();
    });
    Promise.resolve(handler(req, res, row, url)).catch((error) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: String(error) }));
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (s) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    host: `127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads a request body to its end; returns its first `keep` bytes (the multipart text fields come first). */
async function drainBody(req, row, keep = 0) {
  const head = [];
  let kept = 0;
  for await (const chunk of req) {
    row.bytesIn += chunk.length;
    if (kept < keep) {
      head.push(chunk.subarray(0, keep - kept));
      kept += Math.min(chunk.length, keep - kept);
    }
  }
  row.bodyDone = Date.now();
  return Buffer.concat(head);
}

function sendJson(res, row, status, body, headers = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  row.bytesOut += Buffer.byteLength(text);
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

// ---- the lecture's words -------------------------------------------------------------------------

const VOCABULARY = (
  "сегодня мы продолжаем разговор о нейронных сетях и механизме внимания который лежит в основе трансформеров " +
  "вспомним что рекуррентные сети обрабатывают последовательность шаг за шагом поэтому длинные зависимости " +
  "теряются градиент затухает и обучение идёт медленно архитектура трансформера устроена иначе каждый токен " +
  "смотрит на все остальные через запросы ключи и значения веса внимания считаются как скалярное произведение " +
  "нормированное на корень из размерности затем применяется софтмакс и значения суммируются с этими весами " +
  "многоголовое внимание позволяет модели одновременно следить за разными отношениями позиционное кодирование " +
  "добавляет информацию о порядке слов остаточные связи и нормализация слоя стабилизируют обучение глубоких моделей " +
  "на практике мы обучаем такие модели на больших корпусах текста а потом дообучаем на конкретной задаче"
).split(" ");

/**
 * A realistic verbose_json for a `duration`-second recording: ~130 words a minute from `speechStart`
 * to `speechEnd` with short pauses between sentences, in segments of 8–16 words (OpenAI's shape:
 * language as an English name, segment text with a leading space, `usage`).
 */
export function lectureTranscript({ duration = 3600, speechStart = 95, speechEnd = 3530, seed = 7 } = {}) {
  let x = seed >>> 0 || 1;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const words = [];
  const segments = [];
  let t = speechStart;
  let index = 0;
  while (t < speechEnd - 1) {
    const count = 8 + Math.floor(rand() * 9);
    const segmentWords = [];
    for (let i = 0; i < count && t < speechEnd - 0.3; i++) {
      const length = 0.22 + rand() * 0.35;
      let word = VOCABULARY[index++ % VOCABULARY.length];
      if (i === 0) word = word[0].toUpperCase() + word.slice(1);
      if (i === count - 1) word += ".";
      else if (rand() < 0.08) word += ",";
      const w = { word, start: Math.round(t * 100) / 100, end: Math.round(Math.min(t + length, speechEnd) * 100) / 100 };
      segmentWords.push(w);
      t += length + 0.04 + rand() * 0.12;
    }
    if (segmentWords.length === 0) break;
    words.push(...segmentWords);
    segments.push({
      id: segments.length,
      seek: Math.floor(segmentWords[0].start * 100),
      start: segmentWords[0].start,
      end: segmentWords.at(-1).end,
      text: ` ${segmentWords.map((w) => w.word).join(" ")}`,
      tokens: [50364, 3401],
      temperature: 0,
      avg_logprob: -0.2,
      compression_ratio: 1.3,
      no_speech_prob: 0.01,
    });
    t += 0.4 + rand() * 1.2; // a pause between sentences
  }
  return {
    task: "transcribe",
    language: "russian",
    duration,
    text: segments.map((s) => s.text.trim()).join(" "),
    segments,
    words,
    usage: { type: "duration", seconds: Math.round(duration) },
  };
}

/** The topics answer (JSON mode) for a lecture of `minutes`: a chapter every 8 minutes. */
export function lectureTopics(minutes = 57) {
  const titles = ["Введение и повторение", "Рекуррентные сети и их ограничения", "Запросы, ключи и значения", "Масштабированное скалярное произведение", "Многоголовое внимание", "Позиционное кодирование", "Остаточные связи и нормализация", "Обучение и дообучение"];
  const topics = [];
  for (let m = 0, i = 0; m < minutes - 2 && i < titles.length; m += 8, i++) {
    topics.push({ start: `00:${String(m).padStart(2, "0")}:00`, title: titles[i] });
  }
  return {
    summary: "Лекция о механизме внимания и архитектуре трансформера: от ограничений рекуррентных сетей до многоголового внимания, позиционного кодирования и обучения больших моделей.",
    main_topic: "Механизм внимания и трансформеры",
    topics,
    questions: ["Почему рекуррентные сети плохо учат длинные зависимости?", "Зачем делить скалярное произведение на корень из размерности?", "Что даёт многоголовое внимание?"],
  };
}

// ---- the fakes ---------------------------------------------------------------------------------

/**
 * @param {{ meetings: Array<{ uuid: string, topic: string, startTime: string, duration: number, video: { id: string, path: string }, audio?: { id: string, path: string } }>, transcript: object, topics: object }} options
 */
export async function startPipelineFakes({ meetings, transcript, topics }) {
  const log = [];
  const files = new Map();
  for (const m of meetings) {
    files.set(m.video.id, { path: m.video.path, size: statSync(m.video.path).size, type: "video/mp4" });
    if (m.audio) files.set(m.audio.id, { path: m.audio.path, size: statSync(m.audio.path).size, type: "audio/mp4" });
  }

  // Zoom: bench/fake-zoom-server.mjs answers the OAuth and REST calls; this front serves the real
  // files and rewrites the fake's own address in its answers to the front's.
  const inner = await startFakeZoom({
    files: meetings.map((m) => ({ id: m.video.id, uuid: m.uuid, topic: m.topic, startTime: m.startTime, duration: m.duration, size: files.get(m.video.id).size })),
  });
  let zoomUrl = "";
  const zoom = await timedServer("zoom", log, async (req, res, row, url) => {
    const download = /^\/rec\/download\/([^/]+)$/.exec(url.pathname);
    if (download && req.method === "GET") {
      req.resume();
      if ((req.headers.authorization ?? "") !== `Bearer ${DOWNLOAD_TOKEN}`) return sendJson(res, row, 401, { code: 124, message: "Invalid access token." });
      if (!files.has(download[1])) return sendJson(res, row, 404, { code: 3301, message: "This recording does not exist." });
      res.writeHead(302, { location: `${zoomUrl}/storage/${download[1]}?sig=${randomUUID()}` });
      return res.end();
    }
    const storage = /^\/storage\/([^/]+)$/.exec(url.pathname);
    if (storage && (req.method === "GET" || req.method === "HEAD")) {
      req.resume();
      const file = files.get(storage[1]);
      if (!file || !url.searchParams.get("sig")) {
        res.writeHead(404, { "content-type": "text/html" });
        return res.end("<html>Not found</html>");
      }
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
      const start = range ? Number(range[1]) : 0;
      const end = range?.[2] ? Math.min(Number(range[2]), file.size - 1) : file.size - 1;
      if (range && start >= file.size) {
        res.writeHead(416, { "content-range": `bytes */${file.size}` });
        return res.end();
      }
      row.range = req.headers.range ?? null;
      res.writeHead(range ? 206 : 200, {
        "content-type": file.type,
        "content-length": String(end - start + 1),
        "accept-ranges": "bytes",
        ...(range ? { "content-range": `bytes ${start}-${end}/${file.size}` } : {}),
      });
      if (req.method === "HEAD") return res.end();
      const stream = createReadStream(file.path, { start, end, highWaterMark: 1024 * 1024 });
      stream.on("data", (chunk) => (row.bytesOut += chunk.length));
      stream.pipe(res);
      return;
    }
    // Everything else (token, REST) goes to bench/fake-zoom-server.mjs.
    const body = await drainBody(req, row, Number.POSITIVE_INFINITY);
    const answer = await new Promise((resolve, reject) => {
      const target = new URL(req.url, inner.url);
      const headers = { ...req.headers, host: target.host };
      delete headers["content-length"];
      const forward = httpRequest(target, { method: req.method, headers: { ...headers, "content-length": String(body.length) } }, (r) => {
        const chunks = [];
        r.on("data", (c) => chunks.push(c));
        r.on("end", () => resolve({ status: r.statusCode, headers: r.headers, body: Buffer.concat(chunks).toString("utf8") }));
        r.on("error", reject);
      });
      forward.on("error", reject);
      forward.end(body);
    });
    const text = answer.body.replaceAll(inner.url, zoomUrl);
    const headers = { ...answer.headers };
    delete headers["content-length"];
    delete headers["transfer-encoding"];
    delete headers.connection;
    delete headers["keep-alive"];
    row.bytesOut += Buffer.byteLength(text);
    res.writeHead(answer.status, { ...headers, "content-length": String(Buffer.byteLength(text)) });
    res.end(text);
  });
  zoomUrl = zoom.url;

  // OpenAI-compatible transcription: Fireworks' shape (raw key, `timestamp_granularities=word,segment`,
  // ISO language, words with probability; EXTERNAL-APIS.md §5.1) or OpenAI's (Bearer key,
  // `timestamp_granularities[]` twice, language as a name, segment text with a leading space; §5.3).
  const openAiText = JSON.stringify(transcript);
  const fireworksText = JSON.stringify({
    ...transcript,
    language: "ru",
    usage: undefined,
    words: transcript.words.map((w) => ({ ...w, language: "ru", probability: 0.97, hallucination_score: 0.01 })),
    segments: transcript.segments.map((seg) => ({ ...seg, text: seg.text.trim() })),
  });
  const asrRequests = [];
  const asr = await timedServer("asr", log, async (req, res, row, url) => {
    if (req.method !== "POST" || url.pathname !== "/v1/audio/transcriptions") {
      req.resume();
      return sendJson(res, row, 404, { error: { message: "not found", type: "invalid_request_error" } });
    }
    const shape = req.headers.authorization === ASR_KEY ? "fireworks" : req.headers.authorization === `Bearer ${ASR_KEY}` ? "openai" : null;
    if (!shape) {
      req.resume();
      return sendJson(res, row, 401, { error: { message: "Incorrect API key provided", type: "invalid_request_error", param: null, code: "invalid_api_key" } });
    }
    const head = (await drainBody(req, row, 16 * 1024)).toString("latin1");
    const field = (name) => new RegExp(`name="${name.replace(/[[\]]/g, "\\$&")}"\\r\\n\\r\\n([^\\r]*)\\r\\n`, "g");
    const values = (name) => [...head.matchAll(field(name))].map((m) => m[1]);
    const granularities = shape === "openai" ? values("timestamp_granularities[]").join(",") : values("timestamp_granularities")[0];
    asrRequests.push({ shape, bytes: row.bytesIn, model: values("model")[0], granularities, format: values("response_format")[0], language: values("language")[0] });
    if (values("response_format")[0] !== "verbose_json" || granularities !== "word,segment") {
      return sendJson(res, row, 400, { error: { message: "word timestamps need verbose_json", type: "invalid_request_error" } });
    }
    if (!/name="file"; filename="[^"]+"/.test(head)) return sendJson(res, row, 400, { error: { message: "file is required", type: "invalid_request_error" } });
    return sendJson(res, row, 200, shape === "openai" ? openAiText : fireworksText);
  });

  // DeepSeek / OpenAI chat completions.
  const llmRequests = [];
  const llm = await timedServer("llm", log, async (req, res, row, url) => {
    const body = await drainBody(req, row, Number.POSITIVE_INFINITY);
    if (req.method !== "POST" || !["/chat/completions", "/v1/chat/completions"].includes(url.pathname)) return sendJson(res, row, 404, { error: { message: "not found" } });
    if (req.headers.authorization !== `Bearer ${LLM_KEY}`) {
      return sendJson(res, row, 401, { error: { message: "Authentication Fails, Your api key is invalid", type: "authentication_error", param: null, code: "invalid_request_error" } });
    }
    const request = JSON.parse(body.toString("utf8"));
    llmRequests.push({ path: url.pathname, model: request.model, promptChars: request.messages.reduce((n, m) => n + m.content.length, 0), jsonMode: request.response_format?.type === "json_object" });
    return sendJson(res, row, 200, {
      id: randomUUID(),
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [{ index: 0, message: { role: "assistant", content: JSON.stringify(topics) }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 21034, completion_tokens: 612, total_tokens: 21646 },
    });
  });

  // YouTube.
  const sessions = new Map();
  const videos = new Map();
  const captions = [];
  let youtubeUrl = "";
  const youtube = await timedServer("youtube", log, async (req, res, row, url) => {
    const googleError = (status, reason) => sendJson(res, row, status, { error: { code: status, message: `Fake ${reason}`, errors: [{ message: `Fake ${reason}`, domain: "youtube.api", reason }] } });
    if (req.headers.authorization !== `Bearer ${YOUTUBE_TOKEN}`) {
      req.resume();
      return googleError(401, "authError");
    }
    if (url.pathname === "/upload/youtube/v3/videos" && req.method === "POST") {
      const body = JSON.parse((await drainBody(req, row, Number.POSITIVE_INFINITY)).toString("utf8") || "null");
      if (url.searchParams.get("uploadType") !== "resumable" || !body) return googleError(400, "invalidUploadType");
      const size = Number(req.headers["x-upload-content-length"]);
      if (!Number.isSafeInteger(size) || size <= 0) return googleError(400, "invalidContentLength");
      const id = randomUUID().replace(/-/g, "");
      sessions.set(id, { id, size, committed: 0, metadata: body, videoId: null });
      res.writeHead(200, { location: `${youtubeUrl}/upload/youtube/v3/videos?uploadType=resumable&upload_id=${id}&part=snippet,status`, "x-guploader-uploadid": id, "content-length": "0" });
      return res.end();
    }
    if (url.pathname === "/upload/youtube/v3/videos" && req.method === "PUT") {
      const session = sessions.get(url.searchParams.get("upload_id") ?? "");
      const contentRange = req.headers["content-range"] ?? "";
      if (!session) {
        req.resume();
        return sendJson(res, row, 404, "Not Found");
      }
      const status = () => {
        if (session.videoId) return sendJson(res, row, 201, videos.get(session.videoId));
        res.writeHead(308, session.committed > 0 ? { range: `bytes=0-${session.committed - 1}`, "content-length": "0" } : { "content-length": "0" });
        return res.end();
      };
      if (contentRange.startsWith("bytes */")) {
        await drainBody(req, row);
        return status();
      }
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange);
      if (!range) return googleError(400, "badContentRange");
      const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
      if (total !== session.size || start !== session.committed || end >= total) {
        await drainBody(req, row);
        return googleError(400, "badContentRange");
      }
      await drainBody(req, row);
      if (row.bytesIn !== end - start + 1) return googleError(400, "badContentLength");
      session.committed = end + 1;
      if (session.committed === session.size) {
        const videoId = randomUUID().replace(/-/g, "").slice(0, 11);
        session.videoId = videoId;
        videos.set(videoId, {
          kind: "youtube#video",
          etag: randomUUID(),
          id: videoId,
          snippet: { ...session.metadata.snippet, publishedAt: new Date().toISOString(), channelId: "UC_bench", channelTitle: "Bench Lectures" },
          status: { uploadStatus: "uploaded", ...session.metadata.status },
          size: session.size,
        });
      }
      return status();
    }
    if (url.pathname === "/upload/youtube/v3/captions" && req.method === "POST") {
      const body = (await drainBody(req, row, Number.POSITIVE_INFINITY)).toString("utf8");
      const videoId = /"videoId"\s*:\s*"([^"]+)"/.exec(body)?.[1];
      if (!videoId || !videos.has(videoId)) return googleError(404, "videoNotFound");
      captions.push({ videoId, bytes: Buffer.byteLength(body) });
      return sendJson(res, row, 200, { kind: "youtube#caption", etag: "e", id: `caption-${captions.length}`, snippet: { videoId, trackKind: "standard", status: "serving" } });
    }
    if (url.pathname === "/youtube/v3/playlistItems" && req.method === "POST") {
      const body = JSON.parse((await drainBody(req, row, Number.POSITIVE_INFINITY)).toString("utf8"));
      return sendJson(res, row, 200, { kind: "youtube#playlistItem", etag: "e", id: randomUUID(), snippet: body.snippet });
    }
    if (url.pathname === "/upload/youtube/v3/thumbnails/set" && req.method === "POST") {
      await drainBody(req, row);
      return sendJson(res, row, 200, { kind: "youtube#thumbnailSetResponse", etag: "e", items: [] });
    }
    await drainBody(req, row);
    return sendJson(res, row, 404, "Not Found");
  });
  youtubeUrl = youtube.url;

  return {
    log,
    zoom,
    asr,
    llm,
    youtube,
    asrRequests,
    llmRequests,
    videos,
    captions,
    zoomRequests: inner.requests,
    close: async () => {
      await Promise.all([zoom.close(), asr.close(), llm.close(), youtube.close(), inner.close()]);
    },
  };
}

/** The total length of the union of [from, to] intervals, clipped to [lo, hi]. */
export function unionMs(intervals, lo = Number.NEGATIVE_INFINITY, hi = Number.POSITIVE_INFINITY) {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, lo), Math.min(b, hi)])
    .filter(([a, b]) => b > a)
    .sort((p, q) => p[0] - q[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [a, b] of clipped) {
    if (a > end) {
      total += b - a;
      end = b;
    } else if (b > end) {
      total += b - end;
      end = b;
    }
  }
  return total;
}

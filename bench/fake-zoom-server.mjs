// A minimal fake Zoom over real HTTP (node:http) for benchmarks against `wrangler dev`: the
// Server-to-Server token grant, the recordings list, one meeting's recordings with a
// download_access_token, and the file download (302 to a "storage" URL, like Zoom, which honours
// Range with 206 + Content-Range). Shapes follow test/fakes/fake-zoom.ts and EXTERNAL-APIS.md §1.
//
// File bytes are generated on the fly and never held in memory: a fixed 1 MiB pseudo-random
// block, repeated, whose first 16 bytes in every MiB carry the block number and the file's seed
// (so a part stored at the wrong offset changes the hash); block 0 starts with an MP4 `ftyp` box.
//
//   import { startFakeZoom } from "./fake-zoom-server.mjs";
//   const zoom = await startFakeZoom({ files: [{ size: 100 * 2 ** 20 }] });
//   zoom.url, zoom.sizes, await zoom.sha256(fileId), zoom.downloads, await zoom.close()
//
// Standalone: node bench/fake-zoom-server.mjs [port] [sizeMiB ...]
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

export const ACCOUNT = { account_id: "bench-account", client_id: "bench-client", client_secret: "bench-client-secret" };
export const DOWNLOAD_TOKEN = "bench-download-token";
const BLOCK = 1024 * 1024;
const HEADER = 16;

const BASE = (() => {
  const bytes = Buffer.allocUnsafe(BLOCK);
  let x = 2463534242;
  for (let i = 0; i < BLOCK; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes.writeUInt32LE(x >>> 0, i);
  }
  return bytes;
})();
const FTYP = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0]); // size, "ftyp", "isom", minor

function blockHeader(seed, block) {
  if (block === 0) return FTYP;
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32BE(0x4c50424b, 0); // "LPBK"
  header.writeUInt32BE(seed >>> 0, 4);
  header.writeBigUInt64BE(BigInt(block), 8);
  return header;
}

/** The bytes [start, end] (inclusive) of a generated file, as zero-copy slices where possible. */
export function* fileChunks(seed, start, end) {
  let p = start;
  while (p <= end) {
    const block = Math.floor(p / BLOCK);
    const offset = p - block * BLOCK;
    const length = Math.min(BLOCK - offset, end - p + 1);
    if (offset < HEADER) {
      const headerEnd = Math.min(HEADER, offset + length);
      yield blockHeader(seed, block).subarray(offset, headerEnd);
      if (offset + length > HEADER) yield BASE.subarray(HEADER, offset + length);
    } else {
      yield BASE.subarray(offset, offset + length);
    }
    p += length;
  }
}

/** SHA-256 (hex) of a whole generated file, streamed through the hash. */
export function fileSha256(seed, size) {
  const hash = createHash("sha256");
  for (const chunk of fileChunks(seed, 0, size - 1)) hash.update(chunk);
  return hash.digest("hex");
}

/**
 * @param {{ port?: number, host?: string, files: Array<{ size: number, id?: string, uuid?: string, topic?: string, startTime?: string, duration?: number }> }} options
 */
export async function startFakeZoom({ port = 0, host = "127.0.0.1", files }) {
  const meetings = files.map((f, i) => {
    const id = f.id ?? `bench-file-${i + 1}`;
    return {
      fileId: id,
      seed: 0x9e3779b9 ^ (i + 1) * 2654435761,
      size: f.size,
      uuid: f.uuid ?? `bench-meeting-${i + 1}==`,
      topic: f.topic ?? `Lecture bench ${i + 1}`,
      start_time: f.startTime ?? `2026-10-${String(i + 1).padStart(2, "0")}T10:00:00Z`,
      duration: f.duration ?? 90,
    };
  });
  const tokens = new Set();
  /** One row per download request (after the redirect): range, bytes sent, start/end ms. */
  const downloads = [];
  const requests = { token: 0, list: 0, meeting: 0, redirect: 0, download: 0, other: 0 };
  const sockets = new Set();
  let url = "";

  const json = (res, status, body, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json;charset=UTF-8", ...headers });
    res.end(JSON.stringify(body));
  };
  const meetingJson = (m) => ({
    uuid: m.uuid,
    id: 81234567890,
    account_id: ACCOUNT.account_id,
    host_id: "bench-host",
    topic: m.topic,
    start_time: m.start_time,
    timezone: "UTC",
    duration: m.duration,
    total_size: m.size,
    recording_count: 1,
    recording_files: [
      {
        id: m.fileId,
        meeting_id: m.uuid,
        recording_start: m.start_time,
        recording_end: m.start_time,
        file_type: "MP4",
        file_extension: "MP4",
        file_size: m.size,
        play_url: `${url}/rec/play/${m.fileId}`,
        download_url: `${url}/rec/download/${m.fileId}`,
        status: "completed",
        recording_type: "shared_screen_with_speaker_view",
      },
    ],
  });

  const handle = async (req, res) => {
    const u = new URL(req.url, url);
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (req.method === "POST" && u.pathname === "/oauth/token") {
      requests.token++;
      req.resume();
      const expected = `Basic ${Buffer.from(`${ACCOUNT.client_id}:${ACCOUNT.client_secret}`).toString("base64")}`;
      if (u.searchParams.get("grant_type") !== "account_credentials") return json(res, 400, { reason: "unsupported grant type", error: "unsupported_grant_type" });
      if (req.headers.authorization !== expected || u.searchParams.get("account_id") !== ACCOUNT.account_id) {
        return json(res, 401, { reason: "Invalid client_id or client_secret", error: "invalid_client" });
      }
      const token = `bench-zoom-token-${randomUUID()}`;
      tokens.add(token);
      return json(res, 200, { access_token: token, token_type: "bearer", expires_in: 3599, scope: "cloud_recording:read:list_user_recordings:admin", api_url: url });
    }
    if (u.pathname.startsWith("/v2/")) {
      if (!tokens.has(bearer)) return json(res, 401, { code: 124, message: "Invalid access token." });
      const path = u.pathname.slice(3);
      if (req.method === "GET" && path === "/users/me") return json(res, 200, { id: "bench-host", email: "lecturer@example.edu" });
      if (req.method === "GET" && path === "/users/me/recordings") {
        requests.list++;
        const from = u.searchParams.get("from") ?? "";
        const to = u.searchParams.get("to") ?? "";
        const size = Number(u.searchParams.get("page_size") ?? 30);
        const offset = Number(u.searchParams.get("next_page_token") || 0);
        const inWindow = meetings.filter((m) => m.start_time.slice(0, 10) >= from && m.start_time.slice(0, 10) <= to);
        const page = inWindow.slice(offset, offset + size);
        return json(res, 200, {
          from,
          to,
          page_count: Math.ceil(inWindow.length / size),
          page_size: size,
          total_records: inWindow.length,
          next_page_token: offset + size < inWindow.length ? String(offset + size) : "",
          meetings: page.map(meetingJson),
        });
      }
      const match = /^\/meetings\/([^/]+)\/recordings$/.exec(path);
      if (match) {
        requests.meeting++;
        const uuid = decodeURIComponent(decodeURIComponent(match[1]));
        const meeting = meetings.find((m) => m.uuid === uuid);
        if (!meeting) return json(res, 404, { code: 3301, message: "This recording does not exist." });
        if (req.method === "DELETE") {
          res.writeHead(204);
          return res.end();
        }
        return json(res, 200, { ...meetingJson(meeting), download_access_token: DOWNLOAD_TOKEN });
      }
      return json(res, 404, { code: 404, message: "Not found" });
    }
    const download = /^\/rec\/download\/([^/]+)$/.exec(u.pathname);
    if (download && req.method === "GET") {
      // Zoom checks the bearer and redirects to a short-lived signed storage URL (§1.5).
      requests.redirect++;
      if (bearer !== DOWNLOAD_TOKEN) return json(res, 401, { code: 124, message: "Invalid access token." });
      if (!meetings.some((m) => m.fileId === download[1])) return json(res, 404, { code: 3301, message: "This recording does not exist." });
      res.writeHead(302, { location: `${url}/storage/${download[1]}?sig=${randomUUID()}` });
      return res.end();
    }
    const storage = /^\/storage\/([^/]+)$/.exec(u.pathname);
    if (storage && (req.method === "GET" || req.method === "HEAD")) {
      requests.download++;
      const meeting = meetings.find((m) => m.fileId === storage[1]);
      if (!meeting || !u.searchParams.get("sig")) {
        res.writeHead(404, { "content-type": "text/html" });
        return res.end("<html>Not found</html>");
      }
      const rangeHeader = req.headers.range ?? "";
      const range = /^bytes=(\d+)-(\d*)$/.exec(rangeHeader);
      const start = range ? Number(range[1]) : 0;
      const end = range?.[2] ? Math.min(Number(range[2]), meeting.size - 1) : meeting.size - 1;
      if (range && start >= meeting.size) {
        res.writeHead(416, { "content-range": `bytes */${meeting.size}` });
        return res.end();
      }
      const row = { fileId: meeting.fileId, range: rangeHeader, start, end, bytes: 0, startedAt: Date.now(), endedAt: 0, aborted: false };
      downloads.push(row);
      res.writeHead(range ? 206 : 200, {
        "content-type": "video/mp4",
        "content-length": String(end - start + 1),
        "accept-ranges": "bytes",
        ...(range ? { "content-range": `bytes ${start}-${end}/${meeting.size}` } : {}),
      });
      if (req.method === "HEAD") return res.end();
      const body = Readable.from(
        (function* () {
          for (const chunk of fileChunks(meeting.seed, start, end)) {
            row.bytes += chunk.length;
            yield chunk;
          }
        })(),
        { objectMode: false, highWaterMark: 4 * BLOCK },
      );
      try {
        await pipeline(body, res);
      } catch {
        row.aborted = true; // the client went away mid-body
      }
      row.endedAt = Date.now();
      return;
    }
    requests.other++;
    return json(res, 404, { code: 404, message: "Not found" });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) json(res, 500, { code: 500, message: String(error) });
      else res.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;
  url = `http://${host}:${actualPort}`;
  return {
    url,
    port: actualPort,
    /** file id → size in bytes */
    sizes: Object.fromEntries(meetings.map((m) => [m.fileId, m.size])),
    meetings: meetings.map(({ fileId, uuid, topic, size, start_time }) => ({ fileId, uuid, topic, size, startTime: start_time, downloadUrl: `${url}/rec/download/${fileId}` })),
    downloads,
    requests,
    /** Expected SHA-256 (hex) of a file, computed by streaming its generated bytes. */
    sha256: async (fileId) => {
      const m = meetings.find((x) => x.fileId === fileId);
      if (!m) throw new Error(`no file ${fileId}`);
      return fileSha256(m.seed, m.size);
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [portArg, ...sizeArgs] = process.argv.slice(2);
  const sizes = (sizeArgs.length ? sizeArgs : ["100", "1024"]).map((s) => Number(s) * BLOCK);
  const zoom = await startFakeZoom({ port: Number(portArg ?? 0), files: sizes.map((size) => ({ size })) });
  console.log(`fake Zoom at ${zoom.url} (API ${zoom.url}/v2, OAuth ${zoom.url}); credentials ${JSON.stringify(ACCOUNT)}`);
  for (const m of zoom.meetings) console.log(`  ${m.topic}: ${m.size} bytes, ${m.downloadUrl} (Bearer ${DOWNLOAD_TOKEN})`);
  const stop = () => zoom.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/**
 * A contract-faithful fake of the YouTube endpoints the publishing stage calls (EXTERNAL-APIS.md
 * §2): the resumable upload protocol (session POST → Location; chunk PUTs → 308 + Range or the
 * final 201 video; `bytes *\/size` status queries; 404 for an expired session), playlistItems,
 * thumbnails.set and captions.insert, Google's error bodies, per-project quota accounting, and
 * fault injection queued per endpoint. Uploaded bytes are hashed as they arrive (never held).
 */
export type YouTubeFault =
  /** Answers with Google's error body for `reason` (the chunk body, if any, is not read). */
  | { type: "error"; status: number; reason: string; message?: string; retryAfter?: string }
  /** Chunk only: reads `afterBytes` of the body, keeps what a real server would (256 KiB units), then the connection drops. */
  | { type: "drop"; afterBytes: number }
  /** Chunk only ("lost chunk"): reads the whole chunk but keeps only `keepBytes` (256 KiB units), answering 308 with a shorter Range. */
  | { type: "lose"; keepBytes: number }
  /** Chunk only: stores the chunk (and creates the video if it was the last) but answers 503. */
  | { type: "commit-then-fail" }
  /** The session expires now: this and every later request to it answer 404. */
  | { type: "expire" };

type Endpoint = "start" | "chunk" | "query" | "playlist" | "thumbnail" | "caption";

interface Session {
  id: string;
  size: number;
  contentType: string;
  metadata: { snippet: Record<string, unknown>; status: Record<string, unknown> };
  /** videos.insert's `notifySubscribers` query parameter (default true). */
  notifySubscribers: boolean;
  committed: number;
  digest: DigestStream;
  writer: WritableStreamDefaultWriter<ArrayBufferView>;
  expired: boolean;
  videoId: string | null;
}

export interface FakeVideo {
  id: string;
  size: number;
  sha256: string;
  sessionId: string;
  resource: Record<string, unknown>;
  notifySubscribers: boolean;
}

export const GRANULARITY = 256 * 1024;
const QUOTA_COSTS: Record<string, number> = { start: 1600, playlist: 50, thumbnail: 50, caption: 400 };
const DOMAINS: Record<string, string> = {
  quotaExceeded: "youtube.quota",
  authError: "global",
  uploadLimitExceeded: "youtube.video",
  rateLimitExceeded: "usageLimits",
  backendError: "global",
  forbidden: "youtube.video",
  videoNotFound: "youtube.video",
  playlistNotFound: "youtube.playlistItem",
};
const STATUS_NAMES: Record<number, string> = { 400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE" };

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
const videoId = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(9)))).replace(/\+/g, "-").replace(/\//g, "_").slice(0, 11);

export function googleError(status: number, reason: string, message?: string, headers: Record<string, string> = {}): Response {
  const text =
    message ??
    (reason === "quotaExceeded"
      ? 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.'
      : reason === "authError"
        ? "Request had invalid authentication credentials. Expected OAuth 2 access token."
        : `Fake ${reason}`);
  const item: Record<string, string> = { message: text, domain: DOMAINS[reason] ?? "youtube.api", reason };
  if (reason === "authError") Object.assign(item, { location: "Authorization", locationType: "header" });
  const body = { error: { code: status, message: text, errors: [item], status: STATUS_NAMES[status] ?? "FAILED_PRECONDITION" } };
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=UTF-8", ...headers } });
}

/** Reads a request body to its end (answering before reading it makes workerd log "pump canceled"). */
async function discard(request: Request): Promise<void> {
  await request.body?.pipeTo(new WritableStream()).catch(() => undefined);
}

export class FakeYouTube {
  readonly apiBase = "https://youtube-api.fake";
  readonly uploadBase = "https://youtube-upload.fake";
  readonly validTokens = new Set<string>(["ya29.valid"]);
  /** Faults per endpoint, one per request in order; `null` lets that request through. */
  readonly faults: Record<Endpoint, Array<YouTubeFault | null>> = { start: [], chunk: [], query: [], playlist: [], thumbnail: [], caption: [] };
  readonly sessions = new Map<string, Session>();
  readonly videos = new Map<string, FakeVideo>();
  readonly playlists = new Map<string, string[]>();
  readonly thumbnails = new Map<string, { contentType: string; bytes: number }>();
  readonly captions: Array<{ id: string; videoId: string; language: string; name: string; text: string }> = [];
  /** Every request: method, path, Content-Range and status answered. */
  readonly log: Array<{ method: string; endpoint: Endpoint | "other"; contentRange: string | null; status: number | "dropped" }> = [];
  /** The Authorization header of every request (null when absent), in order. */
  readonly authorizations: Array<string | null> = [];
  /** Bytes received again that the session already held (a client that ignores Range re-sends them). */
  overlapBytes = 0;
  quotaLimit = 10_000;
  quotaUsed = 0;

  get videosCreated(): number {
    return this.videos.size;
  }

  addPlaylist(id: string): void {
    this.playlists.set(id, []);
  }

  /** The one video uploaded so far (fails if there are none or several). */
  onlyVideo(): FakeVideo {
    if (this.videos.size !== 1) throw new Error(`expected exactly one video, the fake holds ${this.videos.size}`);
    return [...this.videos.values()][0]!;
  }

  handle = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const endpoint = this.endpointOf(request.method, url, request.headers.get("Content-Range"));
    this.authorizations.push(request.headers.get("Authorization"));
    let response: Response;
    try {
      response = await this.route(endpoint, request, url);
    } catch (error) {
      this.log.push({ method: request.method, endpoint, contentRange: request.headers.get("Content-Range"), status: "dropped" });
      throw error;
    }
    this.log.push({ method: request.method, endpoint, contentRange: request.headers.get("Content-Range"), status: response.status });
    return response;
  };

  private endpointOf(method: string, url: URL, contentRange: string | null): Endpoint | "other" {
    const base = url.origin;
    if (base === this.uploadBase && url.pathname === "/upload/youtube/v3/videos") {
      if (method === "POST") return "start";
      if (method === "PUT") return contentRange?.startsWith("bytes */") ? "query" : "chunk";
    }
    if (base === this.apiBase && url.pathname === "/youtube/v3/playlistItems" && method === "POST") return "playlist";
    if (base === this.uploadBase && url.pathname === "/upload/youtube/v3/thumbnails/set" && method === "POST") return "thumbnail";
    if (base === this.uploadBase && url.pathname === "/upload/youtube/v3/captions" && method === "POST") return "caption";
    return "other";
  }

  private async route(endpoint: Endpoint | "other", request: Request, url: URL): Promise<Response> {
    if (endpoint === "other") return new Response("Not Found", { status: 404 });
    const token = request.headers.get("Authorization")?.replace(/^Bearer /, "") ?? "";
    if (!this.validTokens.has(token)) {
      await discard(request);
      return googleError(401, "authError");
    }
    const session = endpoint === "chunk" || endpoint === "query" ? this.sessions.get(url.searchParams.get("upload_id") ?? "") : undefined;
    const fault = this.faults[endpoint].shift() ?? undefined;
    if (fault?.type === "expire" && session) session.expired = true;
    if (fault?.type === "error") {
      await discard(request);
      return googleError(fault.status, fault.reason, fault.message, fault.retryAfter ? { "Retry-After": fault.retryAfter } : {});
    }
    const cost = QUOTA_COSTS[endpoint] ?? 0;
    if (cost && this.quotaUsed + cost > this.quotaLimit) {
      await discard(request);
      return googleError(403, "quotaExceeded");
    }
    this.quotaUsed += cost;
    switch (endpoint) {
      case "start":
        return this.start(request, url);
      case "chunk":
      case "query":
        if (!session || session.expired) {
          await discard(request);
          return new Response("Not Found", { status: 404, headers: { "content-type": "text/html; charset=UTF-8" } });
        }
        return endpoint === "query" ? this.status(session, false) : this.chunk(session, request, fault);
      case "playlist":
        return this.playlistItem(request);
      case "thumbnail":
        return this.thumbnail(request, url);
      case "caption":
        return this.caption(request);
    }
  }

  private async start(request: Request, url: URL): Promise<Response> {
    if (url.searchParams.get("uploadType") !== "resumable") return googleError(400, "invalidUploadType");
    const body = (await request.json().catch(() => null)) as Session["metadata"] | null;
    if (!body) return googleError(400, "parseError");
    const parts = (url.searchParams.get("part") ?? "").split(",").sort().join(",");
    if (parts !== Object.keys(body).sort().join(",")) return googleError(400, "unexpectedPart", "part must list exactly the parts in the body");
    const size = Number(request.headers.get("X-Upload-Content-Length"));
    if (!Number.isSafeInteger(size) || size <= 0) return googleError(400, "invalidContentLength");
    const title = String(body.snippet?.title ?? "");
    const description = String(body.snippet?.description ?? "");
    if (!title || [...title].length > 100 || /[<>]/.test(title)) return googleError(400, "invalidTitle");
    if (new TextEncoder().encode(description).byteLength > 5000 || /[<>]/.test(description)) return googleError(400, "invalidDescription");
    if (body.status?.publishAt && body.status.privacyStatus !== "private") return googleError(400, "invalidPublishAt");
    const id = crypto.randomUUID().replace(/-/g, "");
    const digest = new crypto.DigestStream("SHA-256");
    this.sessions.set(id, {
      id,
      size,
      contentType: request.headers.get("X-Upload-Content-Type") ?? "video/*",
      metadata: body,
      notifySubscribers: url.searchParams.get("notifySubscribers") !== "false",
      committed: 0,
      digest,
      writer: digest.getWriter(),
      expired: false,
      videoId: null,
    });
    const location = `${this.uploadBase}/upload/youtube/v3/videos?uploadType=resumable&upload_id=${id}&part=snippet,status`;
    return new Response(null, { status: 200, headers: { Location: location, "X-GUploader-UploadID": id } });
  }

  /** 308 with the Range held so far (none when empty), or the finished video. */
  private status(session: Session, created: boolean): Response {
    if (session.videoId) {
      const video = this.videos.get(session.videoId)!;
      return new Response(JSON.stringify(video.resource), { status: created ? 201 : 200, headers: { "content-type": "application/json; charset=UTF-8" } });
    }
    const headers: Record<string, string> = {};
    if (session.committed > 0) headers.Range = `bytes=0-${session.committed - 1}`;
    return new Response(null, { status: 308, headers });
  }

  private async chunk(session: Session, request: Request, fault: YouTubeFault | undefined): Promise<Response> {
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(request.headers.get("Content-Range") ?? "");
    if (!range) return googleError(400, "badContentRange");
    const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    const length = end - start + 1;
    if (total !== session.size || end >= total || length <= 0) return googleError(400, "badContentRange");
    if (Number(request.headers.get("Content-Length")) !== length) return googleError(400, "badContentLength");
    if (end + 1 < total && length % GRANULARITY !== 0) return googleError(400, "badChunkSize", "chunks before the last must be multiples of 256 KiB");
    if (start > session.committed) return googleError(400, "badContentRange", `the session holds ${session.committed} bytes; a chunk cannot start at ${start}`);
    if (session.videoId) {
      await discard(request);
      return this.status(session, false);
    }
    // How many bytes of this chunk the session keeps, and after how many the connection drops.
    const aligned = (n: number) => (start + n === total ? n : Math.floor(n / GRANULARITY) * GRANULARITY);
    const keep = fault?.type === "lose" ? aligned(Math.min(fault.keepBytes, length)) : fault?.type === "drop" ? aligned(Math.min(fault.afterBytes, length)) : length;
    const readLimit = fault?.type === "drop" ? fault.afterBytes : Infinity;
    const held = session.committed - start;
    const reader = request.body!.getReader();
    let position = 0;
    while (position < readLimit) {
      const { done, value } = await reader.read();
      if (done) break;
      const from = position;
      position += value.byteLength;
      // Bytes of [from, position) that are new to the session and within what it keeps.
      const lo = Math.max(from, session.committed - start);
      const hi = Math.min(position, keep);
      if (lo < hi) {
        await session.writer.write(value.subarray(lo - from, hi - from));
        session.committed = start + hi;
      }
      this.overlapBytes += Math.max(0, Math.min(position, held) - from);
    }
    if (fault?.type === "drop") {
      await reader.cancel();
      throw new TypeError("Network connection lost.");
    }
    if (position !== length) return googleError(400, "badContentLength", `received ${position} of ${length} bytes`);
    let created = false;
    if (session.committed === session.size) {
      await this.finish(session);
      created = true;
    }
    if (fault?.type === "commit-then-fail") return googleError(503, "backendError");
    return this.status(session, created);
  }

  private async finish(session: Session): Promise<void> {
    await session.writer.close();
    const sha256 = hex(await session.digest.digest);
    const id = videoId();
    const resource = {
      kind: "youtube#video",
      etag: crypto.randomUUID(),
      id,
      snippet: { ...session.metadata.snippet, publishedAt: new Date().toISOString(), channelId: "UC_fake_channel", channelTitle: "Fake Lectures", liveBroadcastContent: "none" },
      status: { uploadStatus: "uploaded", ...session.metadata.status },
    };
    session.videoId = id;
    this.videos.set(id, { id, size: session.size, sha256, sessionId: session.id, resource, notifySubscribers: session.notifySubscribers });
  }

  private async playlistItem(request: Request): Promise<Response> {
    const body = (await request.json().catch(() => null)) as { snippet?: { playlistId?: string; resourceId?: { kind?: string; videoId?: string } } } | null;
    const playlistId = body?.snippet?.playlistId ?? "";
    const video = body?.snippet?.resourceId?.videoId ?? "";
    if (body?.snippet?.resourceId?.kind !== "youtube#video") return googleError(400, "invalidResourceId");
    const items = this.playlists.get(playlistId);
    if (!items) return googleError(404, "playlistNotFound");
    if (!this.videos.has(video)) return googleError(404, "videoNotFound");
    items.push(video);
    const id = btoa(`${playlistId}.${items.length}`);
    return new Response(JSON.stringify({ kind: "youtube#playlistItem", etag: "e", id, snippet: { playlistId, position: items.length - 1, resourceId: { kind: "youtube#video", videoId: video } } }), {
      status: 200,
      headers: { "content-type": "application/json; charset=UTF-8" },
    });
  }

  private async thumbnail(request: Request, url: URL): Promise<Response> {
    const video = url.searchParams.get("videoId") ?? "";
    const contentType = request.headers.get("Content-Type") ?? "";
    const bytes = (await request.arrayBuffer()).byteLength;
    if (url.searchParams.get("uploadType") !== "media") return googleError(400, "invalidUploadType");
    if (!this.videos.has(video)) return googleError(404, "videoNotFound");
    if (bytes === 0) return googleError(400, "mediaBodyRequired");
    if (!/^image\/(jpeg|png)$/.test(contentType) || bytes > 2 * 1024 * 1024) return googleError(400, "invalidImage");
    this.thumbnails.set(video, { contentType, bytes });
    const thumb = (name: string, width: number, height: number) => ({ url: `https://i.ytimg.fake/vi/${video}/${name}.jpg`, width, height });
    return new Response(JSON.stringify({ kind: "youtube#thumbnailSetResponse", etag: "e", items: [{ default: thumb("default", 120, 90), medium: thumb("mqdefault", 320, 180), high: thumb("hqdefault", 480, 360) }] }), {
      status: 200,
      headers: { "content-type": "application/json; charset=UTF-8" },
    });
  }

  /** captions.insert as `multipart/related`: the caption resource JSON, then the track. */
  private async caption(request: Request): Promise<Response> {
    const boundary = /boundary=([^;]+)/.exec(request.headers.get("Content-Type") ?? "")?.[1];
    if (!request.headers.get("Content-Type")?.startsWith("multipart/related") || !boundary) return googleError(400, "mediaBodyRequired");
    const parts = new TextDecoder()
      .decode(await request.arrayBuffer())
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((part) => part.replace(/^\r\n/, "").replace(/\r\n$/, ""))
      .map((part) => ({ headers: part.slice(0, part.indexOf("\r\n\r\n")), body: part.slice(part.indexOf("\r\n\r\n") + 4) }));
    if (parts.length !== 2 || !/application\/json/i.test(parts[0]!.headers)) return googleError(400, "mediaBodyRequired");
    const resource = JSON.parse(parts[0]!.body) as { snippet?: { videoId?: string; language?: string; name?: string } };
    const snippet = resource.snippet ?? {};
    if (!snippet.videoId || !this.videos.has(snippet.videoId)) return googleError(404, "videoNotFound");
    if (!snippet.language || snippet.name === undefined) return googleError(400, "invalidMetadata");
    if (!/^(\d+\r?\n\d\d:\d\d:\d\d,\d{3} --> |WEBVTT)/.test(parts[1]!.body)) return googleError(400, "invalidCaptionTrack");
    const id = `caption-${this.captions.length + 1}`;
    this.captions.push({ id, videoId: snippet.videoId, language: snippet.language, name: snippet.name, text: parts[1]!.body });
    return new Response(JSON.stringify({ kind: "youtube#caption", etag: "e", id, snippet: { ...snippet, trackKind: "standard", status: "serving" } }), {
      status: 200,
      headers: { "content-type": "application/json; charset=UTF-8" },
    });
  }
}

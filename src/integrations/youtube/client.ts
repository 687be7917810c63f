import { networkError, UploadSessionExpiredError, YouTubeError, youtubeErrorFrom } from "./errors";
import type { TokenSource } from "../token-source";
import { sanitizeMetadata, type YouTubeVideoMetadata } from "./metadata";


export interface YouTubeClientOptions {
  /** Data API host, `https://www.googleapis.com` (paths start with `/youtube/v3`). */
  apiBase: string;
  /** Upload host, `https://www.googleapis.com` (paths start with `/upload/youtube/v3`). */
  uploadBase: string;
  tokens: TokenSource;
  fetch?: typeof fetch;
  /** One API call (session start, status query, playlist, thumbnail, captions). */
  timeoutMs?: number;
  /** One chunk PUT: 25 MiB over a slow link. */
  chunkTimeoutMs?: number;
  now?: () => Date;
}

/** Every chunk but the last must be a multiple of this (EXTERNAL-APIS §2.2). */
export const CHUNK_GRANULARITY = 256 * 1024;
export const THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024;

export interface YouTubeVideo {
  id: string;
  [key: string]: unknown;
}

/** Where a resumable upload stands: the next byte the server wants, or the finished video. */
export type UploadProgress = { state: "incomplete"; offset: number } | { state: "complete"; videoId: string; video: YouTubeVideo };

const drain = (response: Response) => response.body?.cancel().catch(() => undefined);

/**
 * The YouTube Data API calls of the publishing stage. Every method is one step that a queue
 * message can run and persist: the resumable upload is driven by the caller chunk by chunk
 * (`startResumableSession` → `uploadChunk`… with `queryOffset` after any interruption), so nothing
 * here loops over a whole video or holds more than the chunk in flight.
 *
 * A 401 is answered by invalidating the token and trying once more with a fresh one; quota and
 * permission 403s are never treated as auth failures.
 */
export class YouTubeClient {
  private readonly doFetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly chunkTimeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: YouTubeClientOptions) {
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.chunkTimeoutMs = options.chunkTimeoutMs ?? 600_000;
    this.now = options.now ?? (() => new Date());
  }

  private async send(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    try {
      return await this.doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw networkError(error, timeoutMs);
    }
  }

  /**
   * Sends a replayable request with the current token; on 401 drops the token and sends once more.
   * Returns whatever else came back (the caller classifies it), or throws the final auth error.
   */
  private async authorized(url: string, init: RequestInit, refreshed = false): Promise<Response> {
    const token = await this.options.tokens.token();
    const response = await this.send(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } }, this.timeoutMs);
    if (response.status !== 401) return response;
    if (refreshed) throw await youtubeErrorFrom(response, this.now());
    void drain(response);
    this.options.tokens.invalidate();
    return this.authorized(url, init, true);
  }

  private async json<T>(url: string, init: RequestInit): Promise<T> {
    const response = await this.authorized(url, init);
    if (!response.ok) throw await youtubeErrorFrom(response, this.now());
    const text = await response.text().catch(() => null);
    try {
      return JSON.parse(text ?? "") as T;
    } catch {
      throw new YouTubeError("server", `answered ${response.status} with a body that is not JSON`, true, response.status);
    }
  }

  /**
   * Step 1 of the resumable protocol: creates the upload session and returns its URI. Creating a
   * session makes no video, so a session that is lost before any byte is sent costs nothing.
   */
  async startResumableSession(input: { metadata: YouTubeVideoMetadata; size: number; contentType: string; notifySubscribers?: boolean }): Promise<string> {
    const body = JSON.stringify(sanitizeMetadata(input.metadata));
    // notifySubscribers is a query parameter of videos.insert (YouTube's default: true); LEAP ignored the preset's.
    const quiet = input.notifySubscribers === false ? "&notifySubscribers=false" : "";
    const url = `${this.options.uploadBase.replace(/\/$/, "")}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status${quiet}`;
    const response = await this.authorized(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=UTF-8",
        "X-Upload-Content-Length": String(input.size),
        "X-Upload-Content-Type": input.contentType,
      },
      body,
    });
    if (!response.ok) throw await youtubeErrorFrom(response, this.now());
    void drain(response);
    const location = response.headers.get("Location");
    if (!location) throw new YouTubeError("server", "the upload session was created without a Location", true, response.status);
    return new URL(location, this.options.uploadBase).toString();
  }

  /**
   * Step 3: asks the session how many bytes it holds. Call it first after any interruption or
   * redelivery — the server's answer, never a local counter, decides where the next chunk starts.
   * Throws UploadSessionExpiredError when the session is gone.
   */
  queryOffset(sessionUrl: string, size: number): Promise<UploadProgress> {
    return this.progress(sessionUrl, size, false);
  }

  private async progress(sessionUrl: string, size: number, refreshed: boolean): Promise<UploadProgress> {
    const response = await this.authorized(sessionUrl, { method: "PUT", headers: { "Content-Length": "0", "Content-Range": `bytes */${size}` } }, refreshed);
    return this.readProgress(response, size);
  }

  /**
   * Step 2: sends bytes [offset, offset + length) of a `size`-byte video, streamed from `body`
   * (an R2 ranged read; never buffered). `offset` must be what the server last acknowledged.
   * A 308 answer's Range decides the next offset — it can be lower than offset + length when the
   * server kept only part of the chunk. A network error or 5xx throws (retryable): call
   * `queryOffset` and continue from its answer.
   */
  async uploadChunk(sessionUrl: string, chunk: { offset: number; body: ReadableStream<Uint8Array>; length: number; size: number; contentType?: string }): Promise<UploadProgress> {
    const { offset, length, size } = chunk;
    const end = offset + length;
    if (!(length > 0) || offset < 0 || end > size) throw new RangeError(`chunk ${offset}+${length} does not fit a ${size}-byte upload`);
    if (end < size && length % CHUNK_GRANULARITY !== 0) throw new RangeError(`a chunk before the last must be a multiple of ${CHUNK_GRANULARITY} bytes, got ${length}`);
    const token = await this.options.tokens.token();
    const response = await this.send(
      sessionUrl,
      {
        method: "PUT",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": chunk.contentType ?? "video/*",
          "Content-Length": String(length),
          "Content-Range": `bytes ${offset}-${end - 1}/${size}`,
        },
        body: chunk.body.pipeThrough(new FixedLengthStream(length)),
      },
      this.chunkTimeoutMs,
    );
    if (response.status === 401) {
      // The body is spent and cannot be replayed; with a fresh token the session says where to go on.
      void drain(response);
      this.options.tokens.invalidate();
      return this.progress(sessionUrl, size, true);
    }
    const progress = await this.readProgress(response, size);
    if (progress.state === "incomplete" && progress.offset > end) {
      throw new YouTubeError("server", `the session acknowledged ${progress.offset} bytes after only ${end} were sent`, true, 308);
    }
    return progress;
  }

  private async readProgress(response: Response, size: number): Promise<UploadProgress> {
    if (response.status === 308) {
      void drain(response);
      const range = response.headers.get("Range");
      if (!range) return { state: "incomplete", offset: 0 };
      const match = /^bytes=0-(\d+)$/.exec(range.trim());
      if (!match) throw new YouTubeError("server", `unreadable Range header "${range}"`, true, 308);
      const offset = Number(match[1]) + 1;
      if (offset > size) throw new YouTubeError("server", `the session holds ${offset} bytes of a ${size}-byte upload`, true, 308);
      return { state: "incomplete", offset };
    }
    if (response.status === 200 || response.status === 201) {
      const video = (await response.json().catch(() => null)) as YouTubeVideo | null;
      // The video exists but its id was lost with the body: a status query returns it again.
      if (!video || typeof video.id !== "string") throw new YouTubeError("server", "the upload finished but the answer broke off; query the session again", true, response.status);
      return { state: "complete", videoId: video.id, video };
    }
    if (response.status === 404 || response.status === 410) {
      void drain(response);
      throw new UploadSessionExpiredError(response.status);
    }
    throw await youtubeErrorFrom(response, this.now());
  }

  /** playlistItems.insert (50 units). `videoNotFound` right after an upload is retryable. */
  async addToPlaylist(playlistId: string, videoId: string): Promise<{ id: string }> {
    return this.json<{ id: string }>(`${this.options.apiBase.replace(/\/$/, "")}/youtube/v3/playlistItems?part=snippet`, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=UTF-8" },
      body: JSON.stringify({ snippet: { playlistId, resourceId: { kind: "youtube#video", videoId } } }),
    });
  }

  /** thumbnails.set (50 units): JPEG or PNG, at most 2 MB (read into memory so a 401 can be retried). */
  async setThumbnail(videoId: string, body: ReadableStream<Uint8Array> | ArrayBuffer | Uint8Array, contentType: string): Promise<void> {
    const bytes = body instanceof ReadableStream ? new Uint8Array(await new Response(body).arrayBuffer()) : new Uint8Array(body);
    if (bytes.byteLength > THUMBNAIL_MAX_BYTES) {
      throw new YouTubeError("invalid", `the thumbnail is ${(bytes.byteLength / 1048576).toFixed(1)} MB; YouTube accepts at most 2 MB`, false);
    }
    if (!/^image\/(jpeg|png)$/.test(contentType)) throw new YouTubeError("invalid", `thumbnails must be JPEG or PNG, not ${contentType}`, false);
    const url = `${this.options.uploadBase.replace(/\/$/, "")}/upload/youtube/v3/thumbnails/set?videoId=${encodeURIComponent(videoId)}&uploadType=media`;
    await this.json<unknown>(url, { method: "POST", headers: { "Content-Type": contentType, "Content-Length": String(bytes.byteLength) }, body: bytes });
  }

  /**
   * captions.insert (400 units) as a `multipart/related` upload: the caption resource as JSON,
   * then the SRT/VTT text (⚠ LEAP had this call but never made it).
   */
  async uploadCaption(videoId: string, caption: { language: string; name: string; body: string; isDraft?: boolean }): Promise<{ id: string }> {
    const boundary = `caption-${crypto.randomUUID()}`;
    const resource = { snippet: { videoId, language: caption.language, name: caption.name, isDraft: caption.isDraft ?? false } };
    const body = new TextEncoder().encode(
      `--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(resource)}\r\n` +
        `--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n${caption.body}\r\n--${boundary}--\r\n`,
    );
    const url = `${this.options.uploadBase.replace(/\/$/, "")}/upload/youtube/v3/captions?uploadType=multipart&part=snippet`;
    return this.json<{ id: string }>(url, {
      method: "POST",
      headers: { "Content-Type": `multipart/related; boundary=${boundary}`, "Content-Length": String(body.byteLength) },
      body,
    });
  }
}

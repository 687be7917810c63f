import { streamingForm } from "../multipart";
import type { TokenSource } from "../token-source";
import { VK_ALREADY_ADDED, VK_AUTH_CODES, VkApiError, vkErrorFrom, vkHttpError, vkNetworkError, type VkErrorBody } from "./errors";
import { attachmentDisposition, chunkRange, contiguousPrefix } from "./upload-ranges";

export interface VkClientOptions {
  /** `https://api.vk.com` (methods at `/method/<name>`). */
  apiBase: string;
  tokens: TokenSource;
  /** API version sent with every call (EXTERNAL-APIS §3: one version, 5.199). */
  version?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** `video.save` parameters (EXTERNAL-APIS §3.1); booleans are sent as 0/1. */
export interface VideoSaveParams {
  name: string;
  description: string;
  /** `all`, `friends`, `only_me` … (several joined with commas). */
  privacy_view?: string | string[];
  privacy_comment?: string | string[];
  /** A community (positive id): the video's owner becomes `-group_id`. */
  group_id?: number;
  album_id?: number;
  wallpost?: boolean;
  repeat?: boolean;
  no_comments?: boolean;
  /** Let VK re-compress the video for streaming. */
  compression?: boolean;
}

export interface VideoSaveResult {
  upload_url: string;
  video_id: number;
  owner_id: number;
  access_key?: string;
}

export interface VkUploadResult {
  video_id?: number;
  owner_id?: number;
  video_hash?: string;
  size?: number;
}

/** Where a resumable upload stands after one chunk. */
export type VkChunkProgress = { state: "incomplete"; offset: number } | { state: "complete"; result: VkUploadResult };

/** OK.ru's uploader takes one multipart request up to 2 GB; larger files go in resumable chunks. */
export const SINGLE_UPLOAD_MAX_BYTES = 2_000_000_000;

export interface VkAlbum {
  id: number;
  owner_id: number;
  title: string;
  count?: number;
  updated_time?: number;
}

export const NAME_MAX_CHARS = 128;
export const DESCRIPTION_MAX_CHARS = 5000;
export const THUMBNAIL_MAX_BYTES = 5 * 1024 * 1024;
const ALBUM_PAGE = 100;
/** LEAP's only working evidence for this method uses 5.241; the rest of the API is pinned to `version`. */
const METHOD_VERSIONS: Record<string, string> = { "video.saveUploadedThumb": "5.241" };

type Params = Record<string, string | number | boolean | string[] | undefined>;

/** The video's public address (what LEAP stored as the upload URL). */
export const vkVideoUrl = (ownerId: number, videoId: number) => `https://vk.com/video${ownerId}_${videoId}`;

const cut = (text: string, max: number) => [...text].slice(0, max).join("");

/**
 * The VK video calls of the publishing stage, one step each. VK answers errors with HTTP 200 and
 * `{"error":{…}}`; each is classified once into a VkApiError with a `kind`. Error 5/28 (token
 * refused) invalidates the token and retries the call once.
 */
export class VkClient {
  private readonly doFetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly version: string;

  constructor(private readonly options: VkClientOptions) {
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.version = options.version ?? "5.199";
  }

  private async post(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    return this.send(url, { ...init, method: "POST" }, timeoutMs);
  }

  private async send(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    try {
      return await this.doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw vkNetworkError(error, timeoutMs);
    }
  }

  /** One API method: form-encoded POST with the token in the body (never in a logged URL). */
  call<T>(method: string, params: Params): Promise<T> {
    return this.invoke<T>(method, params, false);
  }

  private async invoke<T>(method: string, params: Params, refreshed: boolean): Promise<T> {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      form.set(key, typeof value === "boolean" ? (value ? "1" : "0") : Array.isArray(value) ? value.join(",") : String(value));
    }
    form.set("v", METHOD_VERSIONS[method] ?? this.version);
    form.set("access_token", await this.options.tokens.token());
    const response = await this.post(`${this.options.apiBase.replace(/\/$/, "")}/method/${method}`, { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form }, this.timeoutMs);
    if (!response.ok) throw await vkHttpError(method, response);
    const body = (await response.json().catch(() => null)) as { response?: T; error?: VkErrorBody } | null;
    if (!body) throw new VkApiError("server", `${method}: the answer is not JSON`, true, null, response.status);
    if (body.error) {
      const code = Number(body.error.error_code);
      if (VK_AUTH_CODES.has(code) && !refreshed) {
        this.options.tokens.invalidate();
        return this.invoke<T>(method, params, true);
      }
      throw vkErrorFrom(method, body.error);
    }
    if (!("response" in body)) throw new VkApiError("server", `${method}: the answer has neither response nor error`, true, null, response.status);
    return body.response as T;
  }

  /** Creates the video object and returns where its file goes. Persist all three ids: a retry of the upload reuses them. */
  async videoSave(params: VideoSaveParams): Promise<VideoSaveResult> {
    const result = await this.call<Partial<VideoSaveResult>>("video.save", { ...params, name: cut(params.name, NAME_MAX_CHARS), description: cut(params.description, DESCRIPTION_MAX_CHARS) });
    if (typeof result.upload_url !== "string" || typeof result.video_id !== "number" || typeof result.owner_id !== "number") {
      throw new VkApiError("server", "video.save: the answer lacks upload_url, video_id or owner_id", true);
    }
    return { upload_url: result.upload_url, video_id: result.video_id, owner_id: result.owner_id, access_key: result.access_key };
  }

  /**
   * POSTs the whole file as multipart `video_file`, streamed with an exact Content-Length (the
   * upload host is OK.ru's CDN; one request, ≤ 2 GB). The URL is pre-signed: no token is sent.
   * Posting again to the same upload_url replaces the same video's file, so a retry after a
   * network error does not create a second video; only `upload_failed` needs a new video.save.
   */
  async uploadVideo(uploadUrl: string, file: { body: ReadableStream<Uint8Array>; length: number; filename: string; contentType?: string; timeoutMs?: number }): Promise<VkUploadResult> {
    if (file.length > SINGLE_UPLOAD_MAX_BYTES) throw new VkApiError("invalid", `a single VK upload takes at most 2 GB; this file is ${(file.length / 1e9).toFixed(2)} GB (use the chunked upload)`, false);
    const form = streamingForm([{ name: "video_file", filename: file.filename, contentType: file.contentType ?? "video/mp4", size: file.length, body: file.body }]);
    // LEAP's budget: 600 s plus 120 s per GB.
    const timeoutMs = file.timeoutMs ?? 600_000 + Math.ceil((file.length / 1e9) * 120_000);
    const response = await this.post(uploadUrl, { headers: { "Content-Type": form.contentType, "Content-Length": String(form.length) }, body: form.body }, timeoutMs);
    if (!response.ok) throw await vkHttpError("the VK upload", response);
    const body = (await response.json().catch(() => null)) as UploadAnswer | null;
    if (!body) throw new VkApiError("server", "the VK upload answer is not JSON", true, null, response.status);
    return uploadResult(body, response.status);
  }

  /**
   * One chunk of a resumable upload (OK.ru's mode for files over 2 GB, EXTERNAL-APIS §3.2): the raw
   * bytes, not multipart, with `Content-Range: bytes start-end/total` and the file name in
   * `Content-Disposition`. Re-sending a range the host already has is harmless. The chunk that
   * completes the file is answered like the single upload (§3.2); earlier ones with the ranges held.
   */
  async uploadChunk(uploadUrl: string, chunk: { offset: number; length: number; size: number; body: ReadableStream<Uint8Array>; filename: string; timeoutMs?: number }): Promise<VkChunkProgress> {
    const { offset, length, size } = chunk;
    if (length <= 0 || offset < 0 || offset + length > size) throw new VkApiError("invalid", `a chunk of ${length} bytes at ${offset} does not fit a ${size}-byte file`, false);
    const timeoutMs = chunk.timeoutMs ?? 120_000 + Math.ceil((length / 1e9) * 120_000);
    const response = await this.post(
      uploadUrl,
      {
        headers: { "Content-Type": "application/octet-stream", "Content-Length": String(length), "Content-Range": chunkRange(offset, length, size), "Content-Disposition": attachmentDisposition(chunk.filename) },
        body: chunk.body,
      },
      timeoutMs,
    );
    if (!response.ok) throw await vkHttpError("the VK chunk upload", response);
    const text = await response.text().catch(() => "");
    const body = parseJson(text);
    if (body && (body.error !== undefined || typeof body.video_id === "number")) return { state: "complete", result: uploadResult(body, response.status) };
    if (offset + length === size) return { state: "complete", result: {} };
    // The host reports the ranges it holds: the upload continues where the run from 0 ends (a gap
    // is re-sent). Without a readable report, the chunk just acknowledged counts.
    const held = /\d+-\d+\//.test(text) ? contiguousPrefix(text) : null;
    return { state: "incomplete", offset: held ?? offset + length };
  }

  /**
   * How many bytes from the start the upload host holds (`GET upload_url`), asked when the answer to
   * a chunk was lost. `null` when the host's report cannot be read: the caller then re-sends from
   * what it knows was acknowledged. An expired upload_url (404/410) needs a new video.save.
   */
  async uploadedBytes(uploadUrl: string, size: number): Promise<{ state: "complete"; result: VkUploadResult } | { state: "incomplete"; offset: number | null }> {
    const response = await this.send(uploadUrl, { method: "GET" }, this.timeoutMs);
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      throw new VkApiError("upload_failed", `the VK upload_url is no longer valid (HTTP ${response.status}); save the video again for a new one`, false, null, response.status);
    }
    if (!response.ok) throw await vkHttpError("the VK upload status", response);
    const text = await response.text().catch(() => "");
    const body = parseJson(text);
    if (body && (body.error !== undefined || typeof body.video_id === "number")) return { state: "complete", result: uploadResult(body, response.status) };
    const held = contiguousPrefix(text);
    if (held !== null && held >= size) return { state: "complete", result: {} };
    return { state: "incomplete", offset: held };
  }

  /** One page of albums, with `extended=1` (⚠ without it VK omits count and updated_time, which LEAP read). */
  async getAlbums(input: { ownerId: number; offset?: number; count?: number }): Promise<{ count: number; items: VkAlbum[] }> {
    return this.call("video.getAlbums", { owner_id: input.ownerId, offset: input.offset ?? 0, count: Math.min(input.count ?? ALBUM_PAGE, ALBUM_PAGE), extended: 1 });
  }

  /** The album titled `title` (exact, case-insensitive) of owner `ownerId` (community: `-group_id`), across all pages. */
  async findAlbum(ownerId: number, title: string): Promise<VkAlbum | null> {
    const wanted = title.trim().toLowerCase();
    for (let offset = 0; ; offset += ALBUM_PAGE) {
      const page = await this.getAlbums({ ownerId, offset, count: ALBUM_PAGE });
      const found = page.items.find((a) => a.title.trim().toLowerCase() === wanted);
      if (found) return found;
      if (page.items.length < ALBUM_PAGE || offset + page.items.length >= page.count) return null;
    }
  }

  async createAlbum(input: { title: string; groupId?: number; privacy?: string | string[] }): Promise<number> {
    const result = await this.call<{ album_id: number }>("video.addAlbum", { title: input.title, group_id: input.groupId, privacy: input.privacy });
    return result.album_id;
  }

  /** video.addToAlbum; "already added" (800) counts as done, so a repeated step is harmless. */
  async addToAlbum(input: { targetId: number; albumId: number; ownerId: number; videoId: number }): Promise<void> {
    try {
      await this.call("video.addToAlbum", { target_id: input.targetId, album_id: input.albumId, owner_id: input.ownerId, video_id: input.videoId });
    } catch (error) {
      if (error instanceof VkApiError && error.code === VK_ALREADY_ADDED) return;
      throw error;
    }
  }

  /**
   * A custom cover (EXTERNAL-APIS §3.3): video.getThumbUploadUrl → POST multipart `file` →
   * video.saveUploadedThumb with the upload answer passed verbatim. JPEG/PNG, ≤ 5 MB.
   */
  async setThumbnail(input: { ownerId: number; videoId: number; body: Uint8Array | ArrayBuffer; contentType: string; filename?: string }): Promise<void> {
    const bytes = new Uint8Array(input.body);
    if (bytes.byteLength > THUMBNAIL_MAX_BYTES) throw new VkApiError("invalid", `the cover is ${(bytes.byteLength / 1048576).toFixed(1)} MB; VK accepts at most 5 MB`, false);
    if (!/^image\/(jpeg|png)$/.test(input.contentType)) throw new VkApiError("invalid", `covers must be JPEG or PNG, not ${input.contentType}`, false);
    const { upload_url: uploadUrl } = await this.call<{ upload_url: string }>("video.getThumbUploadUrl", { owner_id: input.ownerId });
    const form = new FormData();
    form.append("file", new File([bytes], input.filename ?? (input.contentType === "image/png" ? "cover.png" : "cover.jpg"), { type: input.contentType }));
    const response = await this.post(uploadUrl, { body: form }, this.timeoutMs);
    if (!response.ok) throw await vkHttpError("the VK cover upload", response);
    const thumbJson = await response.text();
    let parsed: { error?: unknown } | null = null;
    try {
      parsed = JSON.parse(thumbJson) as { error?: unknown };
    } catch {
      throw new VkApiError("server", "the VK cover upload answer is not JSON", true, null, response.status);
    }
    if (parsed?.error !== undefined) throw new VkApiError("upload_failed", `the VK cover upload was refused (${JSON.stringify(parsed.error).slice(0, 200)})`, false);
    await this.call("video.saveUploadedThumb", { owner_id: input.ownerId, video_id: input.videoId, thumb_json: thumbJson, set_thumb: 1 });
  }

  /** Removes a video object (e.g. the empty one left behind when its upload_url was refused). */
  async deleteVideo(input: { ownerId: number; videoId: number }): Promise<void> {
    await this.call("video.delete", { owner_id: input.ownerId, video_id: input.videoId });
  }
}

type UploadAnswer = VkUploadResult & { error?: unknown; error_msg?: unknown };

function parseJson(text: string): UploadAnswer | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as UploadAnswer) : null;
  } catch {
    return null;
  }
}

/** The upload host's final answer: the file's ids, or its own refusal (`{"error": …}`, HTTP 200). */
function uploadResult(body: UploadAnswer, status: number): VkUploadResult {
  if (body.error !== undefined) {
    if (body.error && typeof body.error === "object" && "error_code" in body.error) throw vkErrorFrom("upload", body.error as VkErrorBody);
    const reason = typeof body.error === "string" ? body.error : typeof body.error_msg === "string" ? body.error_msg : JSON.stringify(body.error);
    throw new VkApiError("upload_failed", `the VK upload host refused the file (${reason}); save the video again for a new upload_url`, false, null, status);
  }
  return { video_id: body.video_id, owner_id: body.owner_id, video_hash: body.video_hash, size: body.size };
}

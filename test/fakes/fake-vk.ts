import { s256Challenge } from "./pkce";

/**
 * A contract-faithful fake of the VK video API (EXTERNAL-APIS.md §3): form-encoded POSTs to
 * /method/<name> answered with HTTP 200 `{"response":…}` or `{"error":{error_code,…}}`, video.save
 * handing out an upload_url on another host, the multipart `video_file` upload (hashed as it
 * arrives), the resumable mode of that host for files over 2 GB (§3.2: a non-multipart body with
 * Content-Range and Content-Disposition, `GET upload_url` for the ranges held), albums (getAlbums
 * hides count/updated_time without extended=1), the cover upload and fault injection queued per
 * method ("upload", "chunk" and "thumb-upload" for the upload host).
 *
 * §3.2 only sketches the resumable mode, so the fake fixes what it leaves open: a chunk is answered
 * 200 with the ranges held as text (`0-262143/1323077`, comma-separated when there are gaps), the
 * chunk that completes the file with the single upload's JSON, and the status GET with the ranges.
 */
export type VkFault =
  /** An API error, as VK sends it: HTTP 200 with an error body. */
  | { error_code: number; error_msg?: string; extra?: Record<string, unknown> }
  /** A plain HTTP failure (a proxy, the upload host). */
  | { http: number }
  /** The upload host's own refusal: HTTP 200 `{"error": "…"}`. */
  | { uploadError: string }
  /** The connection drops before the chunk is stored, or after (stored, but the answer is lost). */
  | { drop: "before" | "after" }
  /** No fault for this request (to place a later one). */
  | { pass: true };

export interface FakeVkVideo {
  owner_id: number;
  video_id: number;
  name: string;
  description: string;
  params: Record<string, string>;
  albums: number[];
  upload: { bytes: number; sha256: string; filename: string; contentLength: number } | null;
  uploads: number;
  thumb: string | null;
  deleted: boolean;
}

export const VK_USER_ID = 743784474;

const ERROR_MESSAGES: Record<number, string> = {
  5: "User authorization failed: invalid access_token (4).",
  6: "Too many requests per second",
  9: "Flood control",
  14: "Captcha needed",
  15: "Access denied",
  100: "One of the parameters specified was missing or invalid",
  800: "This video is already added",
};

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });

/** Reads a request body to its end (answering before reading it makes workerd log "pump canceled"). */
async function discard(request: Request): Promise<void> {
  await request.body?.pipeTo(new WritableStream()).catch(() => undefined);
}

export class FakeVk {
  readonly apiBase = "https://api.vk.fake";
  readonly uploadOrigin = "https://upload.vk.fake";
  /** VK ID (§3.5): refresh tokens it accepts, each bound to the client_id and device_id of its grant. */
  readonly idOrigin = "https://id.vk.fake";
  readonly grants = new Map<string, { client_id: string; device_id: string }>();
  /** Every VK ID token request's form (as sent). */
  readonly tokenRequests: Array<Record<string, string>> = [];
  /** Codes handed out by `approve`: the PKCE challenge, client, redirect and device they were issued for. */
  private readonly codes = new Map<string, { challenge: string; client_id: string; redirect_uri: string; device_id: string }>();

  /** The user approves VK ID's consent screen: what VK ID redirects back with (code, state, device_id). */
  approve(authorizationUrl: string): { code: string; state: string; device_id: string } {
    const url = new URL(authorizationUrl);
    const code = `vkid-code-${crypto.randomUUID()}`;
    const device_id = `device-${crypto.randomUUID().slice(0, 8)}`;
    const get = (name: string) => url.searchParams.get(name) ?? "";
    this.codes.set(code, { challenge: get("code_challenge"), client_id: get("client_id"), redirect_uri: get("redirect_uri"), device_id });
    return { code, state: get("state"), device_id };
  }
  readonly validTokens = new Set<string>(["vk1.a.valid"]);
  readonly faults: Record<string, VkFault[]> = {};
  readonly videos: FakeVkVideo[] = [];
  readonly albums: Array<{ id: number; owner_id: number; title: string; count: number; updated_time: number }> = [];
  /** Every API call: method, version and parameters (access_token redacted). */
  readonly calls: Array<{ method: string; v: string; params: Record<string, string> }> = [];
  /** Every resumable chunk request's headers (faulted ones too), in order; `bytes` is its Content-Length. */
  readonly chunkRequests: Array<{ range: string | null; disposition: string | null; contentType: string | null; bytes: number }> = [];
  private readonly resumable = new Map<number, { size: number; filename: string; chunks: Map<number, Uint8Array> }>();
  private nextVideoId = 456239017;
  private nextAlbumId = 50;
  private thumbs = new Set<string>();

  fault(method: string, ...faults: VkFault[]): void {
    (this.faults[method] ??= []).push(...faults);
  }

  /** Videos whose file arrived (the "videos created" of VK: a saved but never uploaded object shows nothing). */
  get uploadedVideos(): FakeVkVideo[] {
    return this.videos.filter((v) => v.upload && !v.deleted);
  }

  addAlbum(ownerId: number, title: string): number {
    const id = this.nextAlbumId++;
    this.albums.push({ id, owner_id: ownerId, title, count: 0, updated_time: 1736950000 });
    return id;
  }

  handle = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin === this.uploadOrigin) return url.pathname === "/upload.do" ? this.upload(request, url) : this.thumbUpload(request, url);
    if (url.origin === this.idOrigin && url.pathname === "/oauth2/auth" && request.method === "POST") return this.vkIdToken(request);
    const method = /^\/method\/([\w.]+)$/.exec(url.pathname)?.[1];
    if (url.origin !== this.apiBase || request.method !== "POST" || !method) return new Response("not found", { status: 404 });
    const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
    const params = Object.fromEntries(form.entries());
    const { access_token: token = "", v = "", ...rest } = params;
    this.calls.push({ method, v, params: rest });
    const fault = this.faults[method]?.shift();
    if (fault && "http" in fault) return new Response("<html>502 Bad Gateway</html>", { status: fault.http });
    if (fault && "error_code" in fault) return this.error(fault.error_code, method, fault.error_msg, fault.extra);
    if (!/^5\.\d+$/.test(v)) return this.error(8, method, "Invalid request: v (version) is required");
    if (!this.validTokens.has(token)) return this.error(5, method);
    switch (method) {
      case "video.save":
        return this.save(rest);
      case "video.getAlbums":
        return this.getAlbums(rest);
      case "video.addAlbum": {
        const owner = rest.group_id ? -Number(rest.group_id) : VK_USER_ID;
        return json({ response: { album_id: this.addAlbum(owner, rest.title ?? "") } });
      }
      case "video.addToAlbum":
        return this.addToAlbum(method, rest);
      case "video.getThumbUploadUrl":
        return json({ response: { upload_url: `${this.uploadOrigin}/thumb.do?owner=${rest.owner_id}&sig=${crypto.randomUUID()}` } });
      case "video.saveUploadedThumb": {
        const video = this.find(rest.owner_id, rest.video_id);
        if (!video || !rest.thumb_json || !this.thumbs.has(rest.thumb_json)) return this.error(100, method, "One of the parameters specified was missing or invalid: thumb_json");
        video.thumb = rest.thumb_json;
        return json({ response: 1 });
      }
      case "video.delete": {
        const video = this.find(rest.owner_id, rest.video_id);
        if (!video) return this.error(15, method);
        video.deleted = true;
        return json({ response: 1 });
      }
      default:
        return this.error(3, method, "Unknown method passed");
    }
  };

  private error(code: number, method: string, message?: string, extra: Record<string, unknown> = {}): Response {
    const body: Record<string, unknown> = {
      error_code: code,
      error_msg: message ?? ERROR_MESSAGES[code] ?? "Unknown error occurred",
      request_params: [
        { key: "method", value: method },
        { key: "oauth", value: "1" },
        { key: "v", value: "5.199" },
      ],
    };
    if (code === 14 && !("captcha_sid" in extra)) {
      body.redirect_uri = "https://id.vk.com/not_robot_captcha?domain=vk.com&session_token=eyJhbGcikIjozH.fake&variant=popup&blank=1";
      // biome-ignore lint/correctness/noPrecisionLoss: VK sends this number as is (EXTERNAL-APIS.md); a client parsing it loses precision too.
      body.remixstlid = 9069780796616521905;
    }
    return json({ error: { ...body, ...extra } });
  }

  private find(ownerId: string | undefined, videoId: string | undefined): FakeVkVideo | undefined {
    return this.videos.find((v) => v.owner_id === Number(ownerId) && v.video_id === Number(videoId) && !v.deleted);
  }

  private save(params: Record<string, string>): Response {
    if ([...(params.name ?? "")].length > 128) return this.error(100, "video.save", "One of the parameters specified was missing or invalid: name is too long");
    if ([...(params.description ?? "")].length > 5000) return this.error(100, "video.save", "One of the parameters specified was missing or invalid: description is too long");
    const owner = params.group_id ? -Number(params.group_id) : VK_USER_ID;
    const albums: number[] = [];
    if (params.album_id) {
      const album = this.albums.find((a) => a.id === Number(params.album_id) && a.owner_id === owner);
      if (!album) return this.error(100, "video.save", "One of the parameters specified was missing or invalid: album_id");
      albums.push(album.id);
      album.count += 1;
    }
    const id = this.nextVideoId++;
    this.videos.push({ owner_id: owner, video_id: id, name: params.name ?? "", description: params.description ?? "", params, albums, upload: null, uploads: 0, thumb: null, deleted: false });
    const uploadUrl = `${this.uploadOrigin}/upload.do?sig=${crypto.randomUUID().replace(/-/g, "")}&expires=${Date.now() + 86_400_000}&vkOwnerId=${owner}&vkVideoId=${id}&saveOriginal=1`;
    return json({ response: { access_key: "494cb27d4cde22a64d", description: params.description ?? "", owner_id: owner, title: params.name ?? "", upload_url: uploadUrl, video_id: id } });
  }

  private getAlbums(params: Record<string, string>): Response {
    const owner = Number(params.owner_id ?? VK_USER_ID);
    const offset = Number(params.offset ?? 0);
    const count = Math.min(Number(params.count ?? 50), 100);
    const all = this.albums.filter((a) => a.owner_id === owner);
    const extended = params.extended === "1";
    const items = all.slice(offset, offset + count).map((a) => (extended ? { ...a, image: [], response_type: "full" } : { id: a.id, owner_id: a.owner_id, title: a.title, response_type: "min" }));
    return json({ response: { count: all.length, items } });
  }

  private addToAlbum(method: string, params: Record<string, string>): Response {
    const target = Number(params.target_id ?? VK_USER_ID);
    const album = this.albums.find((a) => a.id === Number(params.album_id) && a.owner_id === target);
    const video = this.find(params.owner_id, params.video_id);
    if (!album || !video) return this.error(100, method, "One of the parameters specified was missing or invalid: album_id or video_id");
    if (video.albums.includes(album.id)) return this.error(800, method);
    video.albums.push(album.id);
    album.count += 1;
    return json({ response: 1 });
  }

  /** POST upload_url, multipart `video_file` (§3.2); the file is hashed while it streams in. */
  private async upload(request: Request, url: URL): Promise<Response> {
    const contentType = request.headers.get("Content-Type") ?? "";
    if (request.method === "GET" || !contentType.startsWith("multipart/form-data")) return this.resumableUpload(request, url);
    const fault = this.faults.upload?.shift();
    if (fault) await discard(request);
    if (fault && "http" in fault) return new Response("Service Unavailable", { status: fault.http });
    if (fault && "uploadError" in fault) return json({ error: fault.uploadError });
    const video = this.find(url.searchParams.get("vkOwnerId") ?? "", url.searchParams.get("vkVideoId") ?? "");
    if (!video || Number(url.searchParams.get("expires")) < Date.now()) {
      await discard(request);
      return json({ error: "invalid upload url" });
    }
    const contentLength = Number(request.headers.get("Content-Length"));
    const form = await request.formData();
    const file = form.get("video_file");
    if (!(file instanceof File)) return json({ error: "no video_file" });
    const digest = new crypto.DigestStream("SHA-256");
    await file.stream().pipeTo(digest);
    video.upload = { bytes: file.size, sha256: hex(await digest.digest), filename: file.name, contentLength };
    video.uploads += 1;
    return json({ video_hash: "10cfb5cdb16d08f957", size: file.size, direct_link: `https://vk.com/video${video.owner_id}_${video.video_id}`, owner_id: video.owner_id, video_id: video.video_id });
  }

  /**
   * VK ID's token endpoint, refresh grant (§3.5): form `grant_type=refresh_token&refresh_token&client_id&device_id&state`.
   * A new access token (one hour) and a new refresh token; the old refresh token stops working.
   */
  private async vkIdToken(request: Request): Promise<Response> {
    const form = Object.fromEntries(new URLSearchParams(await request.text()));
    this.tokenRequests.push(form);
    if (form.grant_type === "authorization_code") return this.exchange(form);
    const grant = this.grants.get(form.refresh_token ?? "");
    if (form.grant_type !== "refresh_token" || !grant || grant.client_id !== form.client_id || grant.device_id !== form.device_id || !form.state) {
      return json({ error: "invalid_grant", error_description: "Refresh token is invalid or expired" }, 400);
    }
    this.grants.delete(form.refresh_token!);
    return this.issue(grant, form.state!);
  }

  /** The code exchange (§3.5): the code once, with its PKCE verifier, client, redirect_uri and device_id. */
  private async exchange(form: Record<string, string>): Promise<Response> {
    const issued = this.codes.get(form.code ?? "");
    this.codes.delete(form.code ?? "");
    const challenge = form.code_verifier ? await s256Challenge(form.code_verifier) : "";
    if (!issued || issued.challenge !== challenge || issued.client_id !== form.client_id || issued.redirect_uri !== form.redirect_uri || issued.device_id !== form.device_id || !form.state || form.client_secret !== undefined) {
      return json({ error: "invalid_grant", error_description: "Code is invalid or expired" }, 400);
    }
    return this.issue({ client_id: issued.client_id, device_id: issued.device_id }, form.state);
  }

  private issue(grant: { client_id: string; device_id: string }, state: string): Response {
    const accessToken = `vk2.a.${crypto.randomUUID()}`;
    const refreshToken = `vk2.r.${crypto.randomUUID()}`;
    this.validTokens.add(accessToken);
    this.grants.set(refreshToken, grant);
    return json({ access_token: accessToken, refresh_token: refreshToken, id_token: "e30.e30.sig", token_type: "Bearer", expires_in: 3600, user_id: VK_USER_ID, state, scope: "video groups wall" });
  }

  /** The resumable mode: a chunk (POST, raw body with Content-Range) or the status of the upload (GET). */
  private async resumableUpload(request: Request, url: URL): Promise<Response> {
    const video = this.find(url.searchParams.get("vkOwnerId") ?? "", url.searchParams.get("vkVideoId") ?? "");
    const valid = video && Number(url.searchParams.get("expires")) >= Date.now();
    if (request.method === "GET") {
      if (!valid) return new Response("upload not found", { status: 404 });
      return new Response(this.heldRanges(video.video_id), { status: 200, headers: { "content-type": "text/plain" } });
    }
    const range = request.headers.get("Content-Range");
    const disposition = request.headers.get("Content-Disposition");
    const fault = this.faults.chunk?.shift();
    this.chunkRequests.push({ range, disposition, contentType: request.headers.get("Content-Type"), bytes: Number(request.headers.get("Content-Length")) });
    if (fault && !("drop" in fault && fault.drop === "after") && !("pass" in fault)) {
      await discard(request);
      if ("drop" in fault) throw new TypeError("Network connection lost.");
      if ("http" in fault) return new Response("Service Unavailable", { status: fault.http });
      if ("uploadError" in fault) return json({ error: fault.uploadError });
    }
    const body = new Uint8Array(await request.arrayBuffer());
    if (!valid) return json({ error: "invalid upload url" });
    const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range ?? "");
    const extended = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition ?? "")?.[1];
    const filename = extended ? decodeURIComponent(extended) : /filename="([^"]*)"/.exec(disposition ?? "")?.[1];
    if (!m || !filename) return new Response("Content-Range and Content-Disposition are required", { status: 400 });
    const [start, end, size] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (end < start || end >= size || body.byteLength !== end - start + 1) return new Response("the body does not match Content-Range", { status: 400 });
    const upload = this.resumable.get(video.video_id) ?? { size, filename, chunks: new Map<number, Uint8Array>() };
    if (upload.size !== size) return new Response("the total size changed", { status: 400 });
    this.resumable.set(video.video_id, upload);
    upload.chunks.set(start, body);
    const held = this.merged(video.video_id);
    const complete = held.length === 1 && held[0]![0] === 0 && held[0]![1] === size;
    if (complete) {
      const whole = new Uint8Array(size);
      for (const [at, bytes] of [...upload.chunks].sort((a, b) => a[0] - b[0])) whole.set(bytes, at);
      video.upload = { bytes: size, sha256: hex(await crypto.subtle.digest("SHA-256", whole)), filename: upload.filename, contentLength: size };
      video.uploads += 1;
    }
    if (fault && "drop" in fault) throw new TypeError("Network connection lost.");
    if (complete) {
      return json({ video_hash: "10cfb5cdb16d08f957", size, direct_link: `https://vk.com/video${video.owner_id}_${video.video_id}`, owner_id: video.owner_id, video_id: video.video_id });
    }
    return new Response(this.heldRanges(video.video_id), { status: 200, headers: { "content-type": "text/plain" } });
  }

  /** The byte ranges held for a resumable upload, merged: [start, end) pairs. */
  private merged(videoId: number): Array<[number, number]> {
    const upload = this.resumable.get(videoId);
    const out: Array<[number, number]> = [];
    for (const [start, bytes] of [...(upload?.chunks ?? [])].sort((a, b) => a[0] - b[0])) {
      const last = out.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], start + bytes.byteLength);
      else out.push([start, start + bytes.byteLength]);
    }
    return out;
  }

  private heldRanges(videoId: number): string {
    const size = this.resumable.get(videoId)?.size ?? 0;
    return this.merged(videoId).map(([a, b]) => `${a}-${b - 1}/${size}`).join(",");
  }

  /** The cover upload (§3.3): multipart `file`, answered with JSON text passed on verbatim. */
  private async thumbUpload(request: Request, url: URL): Promise<Response> {
    const fault = this.faults["thumb-upload"]?.shift();
    if (fault) await discard(request);
    if (fault && "http" in fault) return new Response("Service Unavailable", { status: fault.http });
    if (url.pathname !== "/thumb.do") return new Response("not found", { status: 404 });
    const file = (await request.formData()).get("file");
    if (!(file instanceof File) || !/^image\/(jpeg|png)$/.test(file.type)) return json({ error: "bad image" });
    const text = JSON.stringify({ photo: crypto.randomUUID(), hash: crypto.randomUUID().slice(0, 8), size: file.size });
    this.thumbs.add(text);
    return new Response(text, { status: 200, headers: { "content-type": "text/plain" } });
  }
}

/**
 * A contract-faithful fake of the Yandex Disk REST API (EXTERNAL-APIS.md §4): `Authorization:
 * OAuth <token>`, folders (201 / 409 variants), upload links that expire after 30 minutes (the
 * pre-signed href answers 410 then), the PUT (201, or 202 when `asyncUploads`), 507 when the Disk
 * is full (checked at the start and the end, like the real one), publish + public_url, localised
 * error bodies `{message, description, error}`, and fault injection queued per endpoint.
 */
export type YandexFault = { status: number; error: string; description?: string; message?: string };
type Endpoint = "mkdir" | "uploadLink" | "put" | "publish" | "resource" | "operation";

export interface FakeDiskResource {
  type: "dir" | "file";
  size?: number;
  sha256?: string;
  public_url?: string;
  public_key?: string;
  created: string;
}

const MESSAGES: Record<string, [string, string]> = {
  UnauthorizedError: ["Не авторизован.", "Unauthorized"],
  DiskNotFoundError: ["Не удалось найти запрошенный ресурс.", "Resource not found."],
  DiskPathDoesntExistsError: ["Указанного пути не существует.", "Specified path doesn't exists."],
  DiskPathPointsToExistentDirectoryError: ["По указанному пути уже существует папка с таким именем.", "Specified path points to existent directory."],
  DiskResourceAlreadyExistsError: ["Ресурс уже существует.", "Resource already exists."],
  DiskResourceLockedError: ["Ресурс заблокирован.", "Resource is locked."],
  InsufficientStorageError: ["Недостаточно свободного места.", "Insufficient storage."],
  TooManyRequestsError: ["Слишком много запросов.", "Too Many Requests"],
};

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
export const LINK_TTL_MS = 30 * 60_000;

export function yandexError(status: number, error: string, description?: string, message?: string): Response {
  const [ru, en] = MESSAGES[error] ?? ["Ошибка.", error];
  return new Response(JSON.stringify({ message: message ?? ru, description: description ?? en, error }), { status, headers: { "content-type": "application/json; charset=utf-8" } });
}

/** `disk:/a/b/`, `/a/b` → `/a/b` (the fake's canonical key); the root is `/`. */
export const canonical = (path: string) => `/${path.replace(/^disk:/, "").split("/").filter(Boolean).join("/")}`;

/** Reads a request body to its end (answering before reading it makes workerd log "pump canceled"). */
async function discard(request: Request): Promise<void> {
  await request.body?.pipeTo(new WritableStream()).catch(() => undefined);
}

export class FakeYandexDisk {
  readonly apiBase = "https://cloud-api.yandex.fake";
  readonly uploadOrigin = "https://uploader1d.dst.yandex.fake";
  readonly validTokens = new Set<string>(["y0_valid"]);
  readonly faults: Record<Endpoint, YandexFault[]> = { mkdir: [], uploadLink: [], put: [], publish: [], resource: [], operation: [] };
  readonly resources = new Map<string, FakeDiskResource>([["/", { type: "dir", created: new Date().toISOString() }]]);
  readonly links = new Map<string, { path: string; overwrite: boolean; issuedAt: number; used: boolean }>();
  readonly log: Array<{ method: string; endpoint: Endpoint | "other"; path: string | null; status: number; auth: string | null }> = [];
  freeBytes = Number.POSITIVE_INFINITY;
  asyncUploads = false;
  /** Moves the fake's clock (link expiry) without sleeping. */
  clockOffsetMs = 0;

  private now = () => Date.now() + this.clockOffsetMs;

  /** Yandex OAuth (§4): the app it knows, codes handed out by `approve`, and every token request's form. */
  readonly oauthOrigin = "https://oauth.yandex.fake";
  readonly oauthApp = { clientId: "yandex-app-client", clientSecret: "yandex-app-secret-123" };
  readonly tokenRequests: Array<Record<string, string>> = [];
  private readonly codes = new Map<string, string>();

  /** The user approves Yandex's consent screen: the `code` it redirects back with (and the state). */
  approve(authorizationUrl: string): { code: string; state: string } {
    const url = new URL(authorizationUrl);
    const code = String(Math.floor(Math.random() * 9e6) + 1e6);
    this.codes.set(code, url.searchParams.get("client_id") ?? "");
    return { code, state: url.searchParams.get("state") ?? "" };
  }

  /** POST /token, authorization_code grant, client_secret in the body (no Basic). */
  private async token(request: Request): Promise<Response> {
    const form = Object.fromEntries(new URLSearchParams(await request.text()));
    this.tokenRequests.push(form);
    const client = this.codes.get(form.code ?? "");
    this.codes.delete(form.code ?? "");
    const reply = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
    if (form.client_id !== this.oauthApp.clientId || form.client_secret !== this.oauthApp.clientSecret) return reply(401, { error: "invalid_client", error_description: "Client not found" });
    if (form.grant_type !== "authorization_code" || client !== form.client_id) return reply(400, { error: "invalid_grant", error_description: "Code has expired" });
    const token = `y0_${crypto.randomUUID().replace(/-/g, "")}`;
    this.validTokens.add(token);
    return reply(200, { token_type: "bearer", access_token: token, expires_in: 31536000, refresh_token: `1:${crypto.randomUUID()}` });
  }

  handle = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin === this.oauthOrigin) return url.pathname === "/token" && request.method === "POST" ? this.token(request) : new Response("not found", { status: 404 });
    const endpoint = this.endpointOf(request.method, url);
    const response = await this.route(endpoint, request, url);
    this.log.push({ method: request.method, endpoint, path: url.searchParams.get("path"), status: response.status, auth: request.headers.get("Authorization") });
    return response;
  };

  private endpointOf(method: string, url: URL): Endpoint | "other" {
    if (url.origin === this.uploadOrigin && method === "PUT") return "put";
    if (url.origin !== this.apiBase) return "other";
    if (url.pathname === "/v1/disk/resources" && method === "PUT") return "mkdir";
    if (url.pathname === "/v1/disk/resources" && method === "GET") return "resource";
    if (url.pathname === "/v1/disk/resources/upload" && method === "GET") return "uploadLink";
    if (url.pathname === "/v1/disk/resources/publish" && method === "PUT") return "publish";
    if (url.pathname.startsWith("/v1/disk/operations/") && method === "GET") return "operation";
    return "other";
  }

  private async route(endpoint: Endpoint | "other", request: Request, url: URL): Promise<Response> {
    if (endpoint === "other") return yandexError(404, "DiskNotFoundError");
    // The upload href is pre-signed; everything else needs `OAuth <token>` (Bearer is refused).
    if (endpoint !== "put" && !this.validTokens.has(/^OAuth (.+)$/.exec(request.headers.get("Authorization") ?? "")?.[1] ?? "")) return yandexError(401, "UnauthorizedError");
    const fault = this.faults[endpoint].shift();
    if (fault) {
      await discard(request);
      return yandexError(fault.status, fault.error, fault.description, fault.message);
    }
    const path = url.searchParams.get("path");
    switch (endpoint) {
      case "mkdir":
        return this.mkdir(canonical(path ?? ""));
      case "resource":
        return this.resource(canonical(path ?? ""), url.searchParams.get("fields"));
      case "uploadLink":
        return this.uploadLink(canonical(path ?? ""), url.searchParams.get("overwrite") === "true");
      case "publish":
        return this.publish(canonical(path ?? ""));
      case "operation":
        return new Response(JSON.stringify({ status: "success" }), { status: 200 });
      case "put":
        return this.put(request, url);
    }
  }

  private parentOf(path: string): string {
    return path.slice(0, path.lastIndexOf("/")) || "/";
  }

  private link(path: string, status = 201): Response {
    const href = `${this.apiBase}/v1/disk/resources?path=${encodeURIComponent(`disk:${path}`)}`;
    return new Response(JSON.stringify({ href, method: "GET", templated: false }), { status, headers: { "content-type": "application/json" } });
  }

  private mkdir(path: string): Response {
    const existing = this.resources.get(path);
    if (existing?.type === "dir") return yandexError(409, "DiskPathPointsToExistentDirectoryError");
    if (existing) return yandexError(409, "DiskResourceAlreadyExistsError");
    if (this.resources.get(this.parentOf(path))?.type !== "dir") return yandexError(409, "DiskPathDoesntExistsError");
    this.resources.set(path, { type: "dir", created: new Date(this.now()).toISOString() });
    return this.link(path);
  }

  private resource(path: string, fields: string | null): Response {
    const resource = this.resources.get(path);
    if (!resource) return yandexError(404, "DiskNotFoundError");
    const full: Record<string, unknown> = { ...resource, path: `disk:${path}`, name: path.split("/").pop(), mime_type: resource.type === "file" ? "video/mp4" : undefined };
    const body = fields ? Object.fromEntries(fields.split(",").filter((f) => full[f] !== undefined).map((f) => [f, full[f]])) : full;
    return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
  }

  private uploadLink(path: string, overwrite: boolean): Response {
    if (this.resources.get(this.parentOf(path))?.type !== "dir") return yandexError(409, "DiskPathDoesntExistsError");
    const existing = this.resources.get(path);
    if (existing && (!overwrite || existing.type === "dir")) return yandexError(409, "DiskResourceAlreadyExistsError");
    const id = crypto.randomUUID().replace(/-/g, "");
    this.links.set(id, { path, overwrite, issuedAt: this.now(), used: false });
    return new Response(JSON.stringify({ operation_id: id, href: `${this.uploadOrigin}/upload-target/${id}`, method: "PUT", templated: false }), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  }

  /** PUT href: 410 once expired, 507 when the Disk cannot hold it (before and after the body). */
  private async put(request: Request, url: URL): Promise<Response> {
    const link = this.links.get(url.pathname.replace("/upload-target/", ""));
    if (!link || link.used) {
      await discard(request);
      return new Response(null, { status: 404 });
    }
    if (this.now() - link.issuedAt > LINK_TTL_MS) {
      await discard(request);
      return new Response(null, { status: 410 });
    }
    const announced = Number(request.headers.get("Content-Length") ?? NaN);
    if (announced > this.freeBytes) {
      await discard(request);
      return yandexError(507, "InsufficientStorageError");
    }
    const digest = new crypto.DigestStream("SHA-256");
    let size = 0;
    await request.body!.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, c) => void ((size += chunk.byteLength), c.enqueue(chunk)) })).pipeTo(digest);
    if (size > this.freeBytes) return yandexError(507, "InsufficientStorageError");
    if (Number.isFinite(announced) && announced !== size) return new Response(null, { status: 400 });
    link.used = true;
    this.freeBytes -= size;
    this.resources.set(link.path, { type: "file", size, sha256: hex(await digest.digest), created: new Date(this.now()).toISOString() });
    return new Response(null, { status: this.asyncUploads ? 202 : 201 });
  }

  private publish(path: string): Response {
    const resource = this.resources.get(path);
    if (!resource) return yandexError(404, "DiskNotFoundError");
    if (!resource.public_key) {
      resource.public_key = btoa(crypto.randomUUID());
      resource.public_url = `https://yadi.sk/d/${crypto.randomUUID().slice(0, 12)}`;
    }
    return this.link(path, 200);
  }
}

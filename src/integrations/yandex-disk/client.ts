import { YandexDiskError, yandexErrorFrom, yandexNetworkError } from "./errors";
import type { TokenSource } from "../token-source";


export interface YandexDiskClientOptions {
  /** `https://cloud-api.yandex.net` (paths start with `/v1/disk`). */
  apiBase: string;
  tokens: TokenSource;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface UploadLink {
  href: string;
  method: string;
  templated: boolean;
  operationId: string | null;
}

export interface YandexResource {
  path: string;
  type: "dir" | "file";
  name?: string;
  size?: number;
  md5?: string;
  sha256?: string;
  public_url?: string;
  [key: string]: unknown;
}

/** `disk:/a/b`, `/a/b` and `a/b` → the scheme prefix (kept as given) and the path's segments. */
function splitPath(path: string): { prefix: string; segments: string[] } {
  const match = /^([a-z]+:)?(.*)$/.exec(path.trim())!;
  return { prefix: match[1] ?? "", segments: (match[2] ?? "").split("/").filter(Boolean) };
}

const joinPath = (prefix: string, segments: string[]) => `${prefix}/${segments.join("/")}`;

/**
 * The Yandex Disk REST calls of the publishing stage (EXTERNAL-APIS §4): folders, an upload link,
 * the PUT of the file to that link (streamed, pre-signed: no token), publishing. Auth is
 * `Authorization: OAuth <token>` (not Bearer); a 401 invalidates the token and retries once.
 */
export class YandexDiskClient {
  private readonly doFetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: YandexDiskClientOptions) {
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  private url(path: string, query: Record<string, string>): string {
    return `${this.options.apiBase.replace(/\/$/, "")}/v1/disk${path}?${new URLSearchParams(query)}`;
  }

  private async send(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    try {
      return await this.doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw yandexNetworkError(error, timeoutMs);
    }
  }

  private async authorized(url: string, init: RequestInit, refreshed = false): Promise<Response> {
    const token = await this.options.tokens.token();
    const response = await this.send(url, { ...init, headers: { ...init.headers, Authorization: `OAuth ${token}`, Accept: "application/json" } }, this.timeoutMs);
    if (response.status !== 401 || refreshed) return response;
    await response.body?.cancel().catch(() => undefined);
    this.options.tokens.invalidate();
    return this.authorized(url, init, true);
  }

  private async json<T>(url: string, init: RequestInit = {}): Promise<T> {
    const response = await this.authorized(url, init);
    if (!response.ok) throw await yandexErrorFrom(response);
    const body = (await response.json().catch(() => null)) as T | null;
    if (body === null) throw new YandexDiskError("server", `answered ${response.status} with a body that is not JSON`, true, response.status);
    return body;
  }

  /** PUT /resources: true when created, false when a directory is already there. */
  private async mkdir(path: string): Promise<boolean> {
    const response = await this.authorized(this.url("/resources", { path }), { method: "PUT" });
    if (response.status === 201) {
      await response.body?.cancel().catch(() => undefined);
      return true;
    }
    const error = await yandexErrorFrom(response);
    if (error.kind === "already_exists") {
      if (error.code === "DiskPathPointsToExistentDirectoryError") return false;
      // Some other 409: fine only if what is there is a folder, not a file in the way.
      const existing = await this.getResource(path, ["type"]);
      if (existing?.type === "dir") return false;
      throw new YandexDiskError("already_exists", `a file occupies the folder path ${path}`, false, 409, error.code);
    }
    throw error;
  }

  /**
   * Makes sure the folder exists: one request when it (or its parent) is there; otherwise the
   * missing parents are created one by one from the root. Returns the folders it created.
   */
  async ensureFolder(path: string): Promise<{ created: string[] }> {
    const { prefix, segments } = splitPath(path);
    if (segments.length === 0) return { created: [] };
    const full = joinPath(prefix, segments);
    try {
      return { created: (await this.mkdir(full)) ? [full] : [] };
    } catch (error) {
      if (!(error instanceof YandexDiskError && error.kind === "parent_missing")) throw error;
    }
    const created: string[] = [];
    for (let i = 1; i <= segments.length; i++) {
      const partial = joinPath(prefix, segments.slice(0, i));
      if (await this.mkdir(partial)) created.push(partial);
    }
    return { created };
  }

  /**
   * GET /resources/upload: a pre-signed href, valid for 30 minutes — request it right before the
   * PUT, never persist it across queue messages. Without `overwrite`, an existing file answers
   * `already_exists` (check it with `getResource`: size/sha256 tell whether a lost answer hid a success).
   */
  async uploadLink(path: string, overwrite: boolean): Promise<UploadLink> {
    const body = await this.json<{ href?: unknown; method?: unknown; templated?: unknown; operation_id?: unknown }>(
      this.url("/resources/upload", { path, overwrite: String(overwrite) }),
    );
    if (typeof body.href !== "string") throw new YandexDiskError("server", "the upload link answer has no href", true);
    return {
      href: body.href,
      method: typeof body.method === "string" ? body.method : "PUT",
      templated: body.templated === true,
      operationId: typeof body.operation_id === "string" ? body.operation_id : null,
    };
  }

  /**
   * PUTs `length` bytes from `body` (an R2 stream, never buffered) to an upload href. 201 = stored,
   * 202 = received and still being moved into the Disk (both success). 404/410 = the link expired:
   * `link_expired`, get a new link and PUT again.
   */
  async putFile(href: string, body: ReadableStream<Uint8Array>, length: number, options: { contentType?: string; timeoutMs?: number } = {}): Promise<{ status: 201 | 202 }> {
    const timeoutMs = options.timeoutMs ?? 600_000 + Math.ceil((length / 1e9) * 120_000);
    const response = await this.send(
      href,
      {
        method: "PUT",
        headers: { "Content-Type": options.contentType ?? "application/octet-stream", "Content-Length": String(length) },
        body: body.pipeThrough(new FixedLengthStream(length)),
      },
      timeoutMs,
    );
    if (response.status === 201 || response.status === 202) {
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    }
    if (response.ok) throw new YandexDiskError("server", `the upload answered ${response.status} instead of 201/202`, true, response.status);
    throw await yandexErrorFrom(response, true);
  }

  /** Status of the asynchronous move after a 202 (`success`, `failed` or `in-progress`). */
  async operationStatus(operationId: string): Promise<string> {
    const body = await this.json<{ status?: unknown }>(`${this.options.apiBase.replace(/\/$/, "")}/v1/disk/operations/${encodeURIComponent(operationId)}`);
    return typeof body.status === "string" ? body.status : "in-progress";
  }

  /** GET /resources (optionally only `fields`); null when nothing is at that path. */
  async getResource(path: string, fields?: string[]): Promise<YandexResource | null> {
    const query: Record<string, string> = { path };
    if (fields?.length) query.fields = fields.join(",");
    const response = await this.authorized(this.url("/resources", query), {});
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      return null;
    }
    if (!response.ok) throw await yandexErrorFrom(response);
    return (await response.json()) as YandexResource;
  }

  /** PUT /resources/publish (idempotent: publishing a published resource keeps its public URL). */
  async publish(path: string): Promise<void> {
    await this.json<unknown>(this.url("/resources/publish", { path }), { method: "PUT" });
  }

  /** The public link of a published resource (⚠ LEAP's MissingPublicUrl when it is absent). */
  async publicUrl(path: string): Promise<string> {
    const resource = await this.getResource(path, ["public_url"]);
    if (!resource) throw new YandexDiskError("not_found", `${path} does not exist on the Disk`, false, 404);
    if (typeof resource.public_url !== "string") throw new YandexDiskError("missing_public_url", `${path} has no public URL yet; publish it first`, true);
    return resource.public_url;
  }
}

// @ts-check
/**
 * One request helper for both sides of the import. Every call has a deadline (a hung LEAP must not
 * hang the import), reads are retried on transient failures, and every failure becomes a
 * RequestFailed whose message is safe to print: the side, the method, the path, the status and
 * the server's own short message, never a header or a token.
 */

/** @typedef {(path: string, init?: RequestInit) => Promise<Response>} FetchLike */

/**
 * @typedef {object} ClientOptions
 * @property {number} [timeoutMs] deadline of one attempt (default 30 s)
 * @property {number} [retries] extra attempts for a read on a 5xx, 429, timeout or network error (default 2)
 * @property {number} [retryDelayMs] first backoff (doubles each time; a 429's Retry-After wins, up to 60 s)
 */

export class RequestFailed extends Error {
  /**
   * @param {string} message
   * @param {{ status?: number, kind: "http" | "timeout" | "network" | "malformed" }} info
   */
  constructor(message, info) {
    super(message);
    this.name = "RequestFailed";
    this.status = info.status;
    this.kind = info.kind;
  }
}

const MAX_DETAIL = 300;
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** LEAP answers `{detail}` (a string or FastAPI's list of issues); this server `{error: {message}}`. */
function serverMessage(/** @type {string} */ text) {
  try {
    const body = JSON.parse(text);
    if (typeof body?.error?.message === "string") return body.error.message;
    if (typeof body?.detail === "string") return body.detail;
    if (Array.isArray(body?.detail) && typeof body.detail[0]?.msg === "string") {
      return body.detail.map((/** @type {{loc?: unknown[], msg: string}} */ d) => `${(d.loc ?? []).join(".")}: ${d.msg}`).join("; ");
    }
    if (typeof body?.error === "string") return body.error;
  } catch {
    // Not JSON: an HTML error page from a proxy, say. Its text is not worth printing.
  }
  return "";
}

const clip = (/** @type {string} */ s) => (s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL)}…` : s);

/**
 * @param {FetchLike} fetcher
 * @param {string} path
 * @param {RequestInit} init
 * @param {number} timeoutMs
 * @returns {Promise<Response>}
 */
async function attempt(fetcher, path, init, timeoutMs) {
  const controller = new AbortController();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new RequestFailed(`no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`, { kind: "timeout" }));
    }, timeoutMs);
  });
  try {
    return /** @type {Response} */ (await Promise.race([fetcher(path, { ...init, signal: controller.signal }), deadline]));
  } catch (error) {
    if (error instanceof RequestFailed) throw error;
    // Node's fetch says only "fetch failed"; the cause (ECONNREFUSED, a TLS error…) is what helps.
    const cause = error instanceof Error && error.cause instanceof Error ? /** @type {Error & { code?: unknown }} */ (error.cause) : null;
    const reason = cause ? String(cause.code ?? cause.message) : error instanceof Error ? error.message : String(error);
    throw new RequestFailed(`could not connect (${clip(reason)})`, { kind: "network" });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * A client over a fetch-like function already bound to a base URL and a token.
 * @param {FetchLike} fetcher
 * @param {string} side "LEAP" or "here": names the server in messages
 * @param {ClientOptions} [options]
 */
export function createClient(fetcher, side, options = {}) {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 500;

  /**
   * @param {string} method
   * @param {string} path
   * @param {BodyInit | undefined} body
   * @param {Record<string, string>} headers
   */
  async function send(method, path, body, headers) {
    const what = `${side}: ${method} ${path.split("?")[0]}`;
    const isRead = method === "GET";
    for (let n = 0; ; n++) {
      /** @type {Response | undefined} */
      let response;
      /** @type {RequestFailed | undefined} */
      let failure;
      try {
        response = await attempt(fetcher, path, { method, body, headers: { Accept: "application/json", ...headers }, redirect: "manual" }, timeoutMs);
      } catch (error) {
        failure = /** @type {RequestFailed} */ (error);
      }
      if (response && response.status < 300) return response;
      if (response && response.status < 400) {
        // A redirect would carry the token to wherever it points: refused, never followed.
        await response.body?.cancel();
        throw new RequestFailed(`${what} answered a redirect (${response.status}); check the base URL`, { status: response.status, kind: "http" });
      }
      // A 429 was not processed, so even a write may be sent again; other write failures may have been.
      const retryable = failure ? isRead : response?.status === 429 || (isRead && (response?.status ?? 0) >= 500);
      if (response && !(retryable && n < retries)) {
        const detail = serverMessage(await response.text());
        throw new RequestFailed(`${what} failed with HTTP ${response.status}${detail ? `: ${clip(detail)}` : ""}`, { status: response.status, kind: "http" });
      }
      if (failure && !(retryable && n < retries)) throw new RequestFailed(`${what}: ${failure.message}`, { kind: failure.kind });
      const retryAfter = Number(response?.headers.get("Retry-After"));
      await response?.body?.cancel();
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 60) * 1000 : retryDelayMs * 2 ** n);
    }
  }

  /** @param {Response} response @param {string} what */
  async function json(response, what) {
    const text = await response.text();
    try {
      return text === "" ? null : JSON.parse(text);
    } catch {
      throw new RequestFailed(`${what} answered a body that is not JSON`, { status: response.status, kind: "malformed" });
    }
  }

  return {
    side,
    /** @param {string} path @returns {Promise<unknown>} */
    async get(path) {
      return json(await send("GET", path, undefined, {}), `${side}: GET ${path.split("?")[0]}`);
    },
    /** @param {string} path @returns {Promise<{ bytes: Uint8Array, contentType: string }>} */
    async getBytes(path) {
      const response = await send("GET", path, undefined, {});
      return { bytes: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get("Content-Type") ?? "" };
    },
    /** @param {string} method @param {string} path @param {unknown} body @returns {Promise<unknown>} */
    async sendJson(method, path, body) {
      const response = await send(method, path, JSON.stringify(body), { "Content-Type": "application/json" });
      return json(response, `${side}: ${method} ${path.split("?")[0]}`);
    },
    /** @param {string} method @param {string} path @param {FormData} form @returns {Promise<unknown>} */
    async sendForm(method, path, form) {
      const response = await send(method, path, form, {});
      return json(response, `${side}: ${method} ${path.split("?")[0]}`);
    },
  };
}

/** @typedef {ReturnType<typeof createClient>} Client */

/** Lists come bare (LEAP) or wrapped in `{items}` (this server, and some LEAP versions). */
export function listOf(/** @type {unknown} */ body) {
  if (Array.isArray(body)) return body;
  if (body && typeof body === "object" && Array.isArray(/** @type {{items?: unknown}} */ (body).items)) return /** @type {unknown[]} */ (/** @type {{items: unknown[]}} */ (body).items);
  return null;
}

export const errorMessage = (/** @type {unknown} */ error) => (error instanceof Error ? error.message : String(error));

import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../api/schema";
import { ApiError } from "./api-error";
import { session } from "./session";

/** Calls that never carry a bearer token (a share link's page is the same for everyone; e-mailed links work signed out). */
const PUBLIC_PATHS = new Set([
  "/api/v1/auth/login",
  "/api/v1/auth/register",
  "/api/v1/auth/refresh",
  "/api/v1/auth/logout",
  "/api/v1/auth/verify-email",
  "/api/v1/auth/forgot-password",
  "/api/v1/auth/reset-password",
  "/api/v1/public/shares/{token}",
]);

/** A copy of each authenticated request, to send once more after a refresh when the answer was 401. */
const pending = new Map<string, { request: Request; token: string }>();

const bearer: Middleware = {
  async onRequest({ request, id, schemaPath }) {
    if (PUBLIC_PATHS.has(schemaPath)) return undefined;
    const token = await session.accessToken();
    if (token === null) return undefined;
    request.headers.set("Authorization", `Bearer ${token}`);
    pending.set(id, { request: request.clone(), token });
    return request;
  },
  async onResponse({ response, id }) {
    const sent = pending.get(id);
    pending.delete(id);
    if (response.status !== 401 || !sent) return undefined;
    const token = await session.refresh(sent.token);
    if (token === null) return undefined;
    sent.request.headers.set("Authorization", `Bearer ${token}`);
    return fetch(sent.request);
  },
  onError({ id }) {
    pending.delete(id);
    return undefined;
  },
};

const BOOKMARK_HEADER = "x-d1-bookmark";
const BOOKMARK_KEY = "lp.d1-bookmark";

/**
 * Read-your-writes across D1 replicas: every response names the newest database point it saw
 * (`x-d1-bookmark`) and every request sends the newest one this tab has, so a list read right after
 * a change is served by a replica that already has it. D1 bookmarks are dash-separated hex groups
 * of fixed width, so the later one sorts last; answers of concurrent requests may arrive out of
 * order, and an older bookmark never replaces a newer one.
 */
const bookmarks: Middleware = {
  onRequest({ request }) {
    const bookmark = d1Bookmark.current();
    if (bookmark) request.headers.set(BOOKMARK_HEADER, bookmark);
    return request;
  },
  onResponse({ response }) {
    d1Bookmark.remember(response.headers.get(BOOKMARK_HEADER));
    return undefined;
  },
};

/** The same bookmark for requests made outside openapi-fetch (an upload part sent by XMLHttpRequest for its progress events). */
export const d1Bookmark = {
  header: BOOKMARK_HEADER,
  current(): string | null {
    return sessionStorage.getItem(BOOKMARK_KEY);
  },
  remember(received: string | null): void {
    const kept = sessionStorage.getItem(BOOKMARK_KEY);
    if (received && (!kept || received.length !== kept.length || received > kept)) sessionStorage.setItem(BOOKMARK_KEY, received);
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(bookmarks);
api.use(bearer);

/** The data of a successful call; otherwise throws ApiError (status 0 when the server was not reached). */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError(0, "NETWORK", cause instanceof Error ? cause.message : "Network error");
  }
  const { data, error, response } = result;
  if (!response.ok || error !== undefined) throw ApiError.fromResponse(response, error);
  return data as T;
}

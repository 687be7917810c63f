import type { components } from "../api/schema";

type CookieSession = components["schemas"]["CookieSession"];
/** What sign-in and refresh answer; the dashboard asks for cookie mode, so a token pair in the body is a server fault. */
type SignInAnswer = components["schemas"]["TokenPair"] | CookieSession;

/**
 * The signed-in session, in the API's cookie mode: the refresh token lives only in an HttpOnly
 * cookie (`__Secure-lp_refresh`, Path=/api/v1/auth) that no script here can read; the access token
 * lives only in this tab's memory, so a reload or a new tab restores it with one silent refresh.
 * Refresh and logout echo the readable `__Secure-lp_csrf` cookie as X-CSRF-Token (double submit).
 *
 * Every tab shares the one cookie and refresh tokens rotate on every use (a reused one revokes the
 * whole session), so refreshes are serialized across tabs with the Web Locks API: the browser has
 * stored the rotated cookie before the lock passes on, and the next tab sends that one.
 */
interface MemorySession {
  accessToken: string;
  accessExpiresAt: number;
  csrfToken: string;
}

const LOCK_NAME = "lp.session.refresh";
const CHANNEL_NAME = "lp.session";
const CSRF_COOKIE = "__Secure-lp_csrf";
const CSRF_HEADER = "X-CSRF-Token";
/** Where the bearer-mode dashboard kept its token pair; read once to move an old session into the cookie. */
const LEGACY_STORAGE_KEY = "lp.session";
/** Refresh this long before the access token expires, so a request never carries a dying token. */
const EARLY_REFRESH_MS = 30_000;

let current: MemorySession | null = null;
let restoring: Promise<void> | null = null;
const listeners = new Set<() => void>();
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL_NAME) : null;

function notify(): void {
  for (const listener of listeners) listener();
}

function set(next: MemorySession | null): void {
  current = next;
  notify();
}

/** Another tab signed out: the shared cookie is gone, so this tab's access token goes too. */
channel?.addEventListener("message", (event: MessageEvent) => {
  if (event.data === "signed-out" && current !== null) set(null);
});

function csrfCookie(): string | null {
  for (const part of document.cookie.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join("="));
  }
  return null;
}

/** In-tab fallback where Web Locks are missing: one refresh at a time in this tab at least. */
let localChain: Promise<unknown> = Promise.resolve();
function withLock<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator.locks?.request === "function") return navigator.locks.request(LOCK_NAME, task) as Promise<T>;
  const run = localChain.then(task, task);
  localChain = run.catch(() => undefined);
  return run;
}

function fromAnswer(answer: SignInAnswer): MemorySession {
  if (!("csrf_token" in answer)) throw new Error("The server answered a token pair to a cookie-session sign-in");
  return { accessToken: answer.access_token, accessExpiresAt: Date.now() + answer.expires_in * 1000, csrfToken: answer.csrf_token };
}

type RefreshOutcome = "ok" | "signed-out" | "unavailable";

/** POST /auth/refresh by cookie (or, once, with a legacy body token moved into the cookie); call inside the lock. */
async function requestRefresh(legacyRefreshToken?: string): Promise<RefreshOutcome> {
  const csrf = csrfCookie() ?? current?.csrfToken ?? null;
  if (legacyRefreshToken === undefined && csrf === null) {
    if (current !== null) set(null);
    return "signed-out";
  }
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (legacyRefreshToken !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify({ refresh_token: legacyRefreshToken, session: "cookie" });
  } else if (csrf !== null) {
    headers[CSRF_HEADER] = csrf;
  }
  let response: Response;
  try {
    response = await fetch("/api/v1/auth/refresh", { method: "POST", headers, body, credentials: "same-origin" });
  } catch {
    return "unavailable"; // offline: keep the session, the caller's request fails as a network error
  }
  if (response.status === 401 || response.status === 403) {
    if (current !== null) set(null);
    return "signed-out";
  }
  if (!response.ok) return "unavailable";
  set(fromAnswer((await response.json()) as SignInAnswer));
  return "ok";
}

/** The one attempt per page load to restore a session from the cookie (or the old localStorage pair). */
async function restoreOnce(): Promise<void> {
  let legacy: string | undefined;
  try {
    const raw = localStorage.getItem(LEGACY_STORAGE_KEY);
    localStorage.removeItem(LEGACY_STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as { refreshToken?: unknown }) : null;
    if (typeof parsed?.refreshToken === "string") legacy = parsed.refreshToken;
  } catch {
    // A corrupt entry is the same as none.
  }
  if (current !== null || (legacy === undefined && csrfCookie() === null)) return;
  await withLock(async () => {
    if (current !== null) return;
    await requestRefresh(legacy);
  });
}

export const session = {
  isSignedIn(): boolean {
    return current !== null;
  },

  /** Resolves once this page load's silent refresh (at most one) is over; then whether someone is signed in. */
  async restore(): Promise<boolean> {
    restoring ??= restoreOnce();
    await restoring;
    return current !== null;
  },

  start(answer: SignInAnswer): void {
    restoring ??= Promise.resolve();
    set(fromAnswer(answer));
  },

  /** Forgets the session in this tab and every other one (the cookie is the server's to clear). */
  end(): void {
    channel?.postMessage("signed-out");
    set(null);
  },

  /** POST /auth/logout by cookie (it also clears the cookies), then forgets the session everywhere. */
  async signOut(): Promise<void> {
    await withLock(async () => {
      const csrf = csrfCookie() ?? current?.csrfToken;
      if (csrf) {
        await fetch("/api/v1/auth/logout", { method: "POST", headers: { [CSRF_HEADER]: csrf }, credentials: "same-origin" }).catch(() => undefined);
      }
    });
    this.end();
  },

  /** A usable access token, refreshed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    await this.restore();
    if (!current) return null;
    if (current.accessExpiresAt - EARLY_REFRESH_MS > Date.now()) return current.accessToken;
    return this.refresh(current.accessToken);
  },

  /**
   * A new access token from the cookie, once per tab at a time and one tab at a time.
   * `staleAccessToken` is the token that was found wanting: when memory already holds a different,
   * fresh one, a concurrent call in this tab refreshed meanwhile.
   */
  async refresh(staleAccessToken: string): Promise<string | null> {
    return withLock(async () => {
      if (!current) return null;
      if (current.accessToken !== staleAccessToken && current.accessExpiresAt - EARLY_REFRESH_MS > Date.now()) return current.accessToken;
      const outcome = await requestRefresh();
      if (outcome === "signed-out") channel?.postMessage("signed-out");
      return outcome === "ok" && current ? current.accessToken : null;
    });
  },

  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

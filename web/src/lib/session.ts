import type { components } from "../api/schema";

type TokenPair = components["schemas"]["TokenPair"];
/** What sign-in and refresh answer; the dashboard asks for bearer mode, so a cookie answer is a server fault. */
type SignInAnswer = TokenPair | components["schemas"]["CookieSession"];

/**
 * The signed-in session: the token pair from POST /auth/login, kept in localStorage so a reload
 * or a second tab stays signed in. Refresh tokens rotate on every use and a reused one revokes the
 * whole session, so refreshing is serialized across tabs with the Web Locks API and re-reads
 * storage inside the lock: a tab that waited uses the pair another tab just obtained.
 */
interface StoredSession {
  accessToken: string;
  accessExpiresAt: number;
  refreshToken: string;
}

const STORAGE_KEY = "lp.session";
const LOCK_NAME = "lp.session.refresh";
/** Refresh this long before the access token expires, so a request never carries a dying token. */
const EARLY_REFRESH_MS = 30_000;

const listeners = new Set<() => void>();

function read(): StoredSession | null {
  const raw = localStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (typeof value.accessToken === "string" && typeof value.refreshToken === "string" && typeof value.accessExpiresAt === "number") {
      return { accessToken: value.accessToken, refreshToken: value.refreshToken, accessExpiresAt: value.accessExpiresAt };
    }
  } catch {
    // A corrupt entry is the same as none.
  }
  return null;
}

function write(session: StoredSession | null): void {
  if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else localStorage.removeItem(STORAGE_KEY);
  for (const listener of listeners) listener();
}

function withLock<T>(task: () => Promise<T>): Promise<T> {
  return typeof navigator.locks?.request === "function" ? (navigator.locks.request(LOCK_NAME, task) as Promise<T>) : task();
}

/** Another tab signing in or out changes this tab's state too. */
window.addEventListener("storage", (event) => {
  if (event.key === STORAGE_KEY) for (const listener of listeners) listener();
});

export const session = {
  isSignedIn(): boolean {
    return read() !== null;
  },

  start(answer: SignInAnswer): void {
    if (!("refresh_token" in answer)) throw new Error("The server answered a cookie session to a bearer sign-in");
    const tokens: TokenPair = answer;
    write({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token, accessExpiresAt: Date.now() + tokens.expires_in * 1000 });
  },

  end(): void {
    write(null);
  },

  refreshToken(): string | null {
    return read()?.refreshToken ?? null;
  },

  /** A usable access token, refreshed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    const current = read();
    if (!current) return null;
    if (current.accessExpiresAt - EARLY_REFRESH_MS > Date.now()) return current.accessToken;
    return this.refresh(current.accessToken);
  },

  /**
   * Exchanges the refresh token for a new pair, once across tabs. `staleAccessToken` is the token
   * that was found wanting: when storage already holds a different one, another tab refreshed.
   */
  async refresh(staleAccessToken: string): Promise<string | null> {
    return withLock(async () => {
      const current = read();
      if (!current) return null;
      if (current.accessToken !== staleAccessToken && current.accessExpiresAt - EARLY_REFRESH_MS > Date.now()) return current.accessToken;
      let response: Response;
      try {
        response = await fetch("/api/v1/auth/refresh", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refresh_token: current.refreshToken }),
        });
      } catch {
        return null; // offline: keep the session, the caller's request fails as a network error
      }
      if (response.status === 401 || response.status === 403) {
        write(null);
        return null;
      }
      if (!response.ok) return null;
      const tokens = (await response.json()) as TokenPair;
      this.start(tokens);
      return tokens.access_token;
    });
  },

  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

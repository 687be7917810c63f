import { z } from "zod";
import type { ZoomTokenSource } from "./auth";
import { ZoomApiError, zoomErrorFrom } from "./errors";
import { zoomMeetingSchema, type ZoomMeeting } from "./types";

const listPageSchema = z.looseObject({
  next_page_token: z.string().optional(),
  meetings: z.array(z.unknown()).default([]),
});

export interface ZoomClientOptions {
  apiBase: string;
  tokens: ZoomTokenSource;
  fetch?: typeof fetch;
  /** Waits this long at most for a Retry-After inside one call; longer waits are the caller's. */
  maxInlineWaitSeconds?: number;
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Zoom lists at most one month per request: [from, to] cut into consecutive ≤ 30-day windows. */
export function monthWindows(from: Date, to: Date): Array<{ from: string; to: string }> {
  const windows: Array<{ from: string; to: string }> = [];
  let start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  while (start <= end) {
    const windowEnd = Math.min(end, start + 29 * DAY_MS);
    windows.push({ from: isoDay(new Date(start)), to: isoDay(new Date(windowEnd)) });
    start = windowEnd + DAY_MS;
  }
  return windows;
}

/** UUIDs that start with "/" or contain "//" must be encoded twice (EXTERNAL-APIS §1.4). */
export function encodeMeetingUuid(uuid: string): string {
  const once = encodeURIComponent(uuid);
  return uuid.startsWith("/") || uuid.includes("//") ? encodeURIComponent(once) : once;
}

export class ZoomClient {
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ZoomClientOptions) {
    this.doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * One API call with the policy every Zoom call shares: a rejected token is dropped and retried
   * once; 429 and 5xx are retried while the wait is short; everything else is a typed error.
   */
  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    const maxWait = this.options.maxInlineWaitSeconds ?? 10;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.options.tokens.token();
      let response: Response;
      try {
        response = await this.doFetch(`${this.options.apiBase}${path}`, {
          ...init,
          headers: { ...init.headers, Authorization: `Bearer ${token}` },
        });
      } catch (error) {
        const failure = new ZoomApiError("network", `Zoom unreachable: ${error instanceof Error ? error.message : "network error"}`);
        if (attempt >= maxAttempts) throw failure;
        await this.sleep(500 * attempt);
        continue;
      }
      if (response.ok) return response;
      const failure = await zoomErrorFrom(response);
      if (failure.kind === "auth" && !refreshed) {
        refreshed = true;
        this.options.tokens.invalidate();
        continue;
      }
      const wait = failure.retryAfterSeconds ?? attempt;
      if (!failure.retryable || attempt >= maxAttempts || wait > maxWait) throw failure;
      await this.sleep(wait * 1000);
    }
  }

  /** Every meeting with recordings in [from, to], all windows and all pages (LEAP read one page). */
  async *listRecordings(options: { from: Date; to: Date; userId?: string; pageSize?: number }): AsyncGenerator<ZoomMeeting> {
    const user = encodeURIComponent(options.userId ?? "me");
    for (const window of monthWindows(options.from, options.to)) {
      let pageToken = "";
      do {
        const query = new URLSearchParams({ page_size: String(options.pageSize ?? 300), from: window.from, to: window.to, trash: "false" });
        if (pageToken) query.set("next_page_token", pageToken);
        const response = await this.request(`/users/${user}/recordings?${query}`);
        const page = listPageSchema.safeParse(await response.json().catch(() => null));
        if (!page.success) throw new ZoomApiError("server", "Zoom returned a malformed recordings page", response.status);
        for (const item of page.data.meetings) {
          const meeting = zoomMeetingSchema.safeParse(item);
          if (meeting.success) yield meeting.data;
        }
        pageToken = page.data.next_page_token ?? "";
      } while (pageToken);
    }
  }

  async getMeetingRecordings(uuid: string): Promise<ZoomMeeting & { download_access_token?: string }> {
    const response = await this.request(`/meetings/${encodeMeetingUuid(uuid)}/recordings?include_fields=download_access_token&ttl=604800`);
    const parsed = zoomMeetingSchema.extend({ download_access_token: z.string().optional() }).safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new ZoomApiError("server", "Zoom returned a malformed meeting", response.status);
    return parsed.data;
  }

  /** Moves a meeting's recordings to Zoom's trash (recoverable for 30 days) or deletes them. */
  async deleteMeetingRecordings(uuid: string, action: "trash" | "delete" = "trash"): Promise<void> {
    await this.request(`/meetings/${encodeMeetingUuid(uuid)}/recordings?action=${action}`, { method: "DELETE" });
  }

  /** `GET /users/me`: the cheapest call that proves a credential works. */
  async me(): Promise<{ email?: string; id?: string }> {
    const response = await this.request("/users/me");
    return (await response.json().catch(() => ({}))) as { email?: string; id?: string };
  }
}

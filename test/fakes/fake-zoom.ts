import { s256Challenge } from "./pkce";

/**
 * A contract-faithful fake of the Zoom endpoints we call (EXTERNAL-APIS.md §1): S2S token grant,
 * recordings list with from/to windows and next_page_token pagination, meeting recordings,
 * users/me and recording deletion, with Zoom's error bodies and failure injection.
 */
export interface FakeFile {
  id?: string;
  file_type: string;
  file_size?: number;
  recording_type?: string;
  status?: string;
}

export interface FakeMeeting {
  uuid: string;
  topic: string;
  start_time: string;
  duration: number;
  recording_files: FakeFile[];
}

type Failure = { status: number; body?: unknown; headers?: Record<string, string>; match?: RegExp };

export class FakeZoom {
  readonly meetings: FakeMeeting[] = [];
  readonly requests: Array<{ method: string; path: string; query: string }> = [];
  readonly trashed: string[] = [];
  private tokens = new Set<string>();
  /** User OAuth: codes handed out by `approve`, with the PKCE challenge they were issued for. */
  private codes = new Map<string, { challenge: string; redirectUri: string }>();
  private refreshTokens = new Set<string>();
  readonly oauthApp = { clientId: "oauth-app-client", clientSecret: "oauth-app-secret-123" };
  refreshGrants = 0;
  accessTtl = 3599;
  private failures: Failure[] = [];
  tokenGrants = 0;
  /** Bytes served at https://zoom.fake/rec/download/{fileId}, by file id. */
  readonly contents = new Map<string, Uint8Array>();
  readonly downloadTokens = new Set<string>(["fake-download-token"]);
  /**
   * Webhook `download_token`s (§1.8): each is valid only with the webhook's own download URLs
   * (/rec/webhook_download/{fileId}), as the API's download_access_token only with the API's URLs.
   */
  readonly webhookTokens = new Set<string>();
  /** Every file download request, in order: which URL kind and what the fake answered. */
  readonly downloadLog: Array<{ kind: "api" | "webhook"; fileId: string; status: number }> = [];
  /** One entry per download request, in order; "none" lets a request through untouched. */
  downloadFailures: Array<"none" | "500" | "429" | "401" | "drop" | "html" | "wrong-size"> = [];
  readonly downloadRanges: string[] = [];
  /** Delay before each download answer (to let a test act while a chunk is in flight). */
  downloadDelayMs = 0;
  pageSize = 0; // 0 → honour the client's page_size

  constructor(
    readonly accountId = "acc-fake",
    readonly clientId = "client-12345",
    readonly clientSecret = "client-secret-12345",
  ) {}

  /** The next request whose path matches (any, by default) fails like this. */
  failNext(failure: Failure): void {
    this.failures.push(failure);
  }

  /** The user approves the consent screen: returns the `code` Zoom would redirect back with. */
  approve(authorizationUrl: string): { code: string; state: string; redirectUri: string } {
    const url = new URL(authorizationUrl);
    const code = `code-${crypto.randomUUID()}`;
    const redirectUri = url.searchParams.get("redirect_uri") ?? "";
    this.codes.set(code, { challenge: url.searchParams.get("code_challenge") ?? "", redirectUri });
    return { code, state: url.searchParams.get("state") ?? "", redirectUri };
  }

  /** Every refresh token stops working (the user revoked the app). */
  revokeRefreshTokens(): void {
    this.refreshTokens.clear();
  }

  /** Every issued token stops working (Zoom answers 401 code 124). */
  expireTokens(): void {
    this.tokens.clear();
  }

  addMeetings(count: number, month: string, prefix = "Lecture"): void {
    for (let i = 0; i < count; i++) {
      const day = String((i % 27) + 1).padStart(2, "0");
      const uuid = `${prefix}-${month}-${i}==`;
      this.meetings.push({
        uuid,
        topic: `${prefix} ${month} #${i}`,
        start_time: `${month}-${day}T10:00:00Z`,
        duration: 90,
        recording_files: [
          { id: `${uuid}-mp4`, file_type: "MP4", file_size: 400_000_000, recording_type: "shared_screen_with_speaker_view", status: "completed" },
          { id: `${uuid}-m4a`, file_type: "M4A", file_size: 80_000_000, recording_type: "audio_only", status: "completed" },
          { file_type: "TIMELINE" },
        ],
      });
    }
  }

  private json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json;charset=UTF-8", ...headers } });
  }

  private meetingJson(m: FakeMeeting) {
    return {
      ...m,
      id: 81234567890,
      host_id: "host-1",
      recording_count: m.recording_files.length,
      total_size: m.recording_files.reduce((s, f) => s + (f.file_size ?? 0), 0),
      recording_files: m.recording_files.map((f) => ({ ...f, meeting_id: m.uuid, download_url: `https://zoom.fake/rec/download/${f.id ?? "x"}` })),
    };
  }

  handle = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    this.requests.push({ method: request.method, path: url.pathname, query: url.search });
    const failure = this.failures.findIndex((f) => !f.match || f.match.test(url.pathname));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return this.json(f!.status, f!.body ?? { code: f!.status, message: "Injected failure" }, f!.headers);
    }
    if (url.hostname === "zoom.us" && url.pathname === "/oauth/token") {
      return url.searchParams.get("grant_type") === "account_credentials" ? this.grant(request, url) : this.userGrant(request);
    }
    if (url.hostname === "zoom.fake") {
      if (this.downloadDelayMs) await new Promise((r) => setTimeout(r, this.downloadDelayMs));
      return this.download(request, url);
    }
    if (url.hostname !== "api.zoom.us") return new Response("unexpected host", { status: 599 });
    const bearer = request.headers.get("Authorization")?.replace(/^Bearer /, "") ?? "";
    if (!this.tokens.has(bearer)) return this.json(401, { code: 124, message: "Invalid access token." });
    const path = url.pathname.replace(/^\/v2/, "");
    if (request.method === "GET" && path === "/users/me") return this.json(200, { id: "host-1", email: "lecturer@example.edu" });
    if (request.method === "GET" && path === "/users/me/recordings") return this.list(url);
    const meetingMatch = /^\/meetings\/([^/]+)\/recordings$/.exec(path);
    if (meetingMatch) {
      const uuid = decodeURIComponent(decodeURIComponent(meetingMatch[1]!));
      const meeting = this.meetings.find((m) => m.uuid === uuid);
      if (!meeting) return this.json(404, { code: 3301, message: "This recording does not exist." });
      if (request.method === "DELETE") {
        this.trashed.push(uuid);
        return new Response(null, { status: 204 });
      }
      return this.json(200, { ...this.meetingJson(meeting), download_access_token: "fake-download-token" });
    }
    return this.json(404, { code: 404, message: "Not found" });
  };

  private grant(request: Request, url: URL): Response {
    const expected = `Basic ${btoa(`${this.clientId}:${this.clientSecret}`)}`;
    if (url.searchParams.get("grant_type") !== "account_credentials") {
      return this.json(400, { reason: "unsupported grant type", error: "unsupported_grant_type" });
    }
    if (request.headers.get("Authorization") !== expected || url.searchParams.get("account_id") !== this.accountId) {
      return this.json(401, { reason: "Invalid client_id or client_secret", error: "invalid_client" });
    }
    this.tokenGrants += 1;
    const token = `zoom-token-${this.tokenGrants}-${crypto.randomUUID()}`;
    this.tokens.add(token);
    return this.json(200, { access_token: token, token_type: "bearer", expires_in: 3599, scope: "cloud_recording:read:list_user_recordings:admin", api_url: "https://api.zoom.us" });
  }

  private issueUserTokens(): Response {
    const access = `user-access-${crypto.randomUUID()}`;
    const refresh = `user-refresh-${crypto.randomUUID()}`;
    this.tokens.add(access);
    this.refreshTokens.add(refresh);
    return this.json(200, { access_token: access, token_type: "bearer", refresh_token: refresh, expires_in: this.accessTtl, scope: "user:read:user", api_url: "https://api.zoom.us" });
  }

  /** authorization_code (with PKCE) and refresh_token grants of the user OAuth flow (§1.2). */
  private async userGrant(request: Request): Promise<Response> {
    if (request.headers.get("Authorization") !== `Basic ${btoa(`${this.oauthApp.clientId}:${this.oauthApp.clientSecret}`)}`) {
      return this.json(401, { reason: "Invalid client_id or client_secret", error: "invalid_client" });
    }
    const form = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
    if (form.get("grant_type") === "authorization_code") {
      const issued = this.codes.get(form.get("code") ?? "");
      this.codes.delete(form.get("code") ?? "");
      const challenge = await s256Challenge(form.get("code_verifier") ?? "");
      if (!issued || issued.challenge !== challenge || issued.redirectUri !== form.get("redirect_uri")) {
        return this.json(400, { reason: "Invalid authorization code", error: "invalid_grant" });
      }
      return this.issueUserTokens();
    }
    if (form.get("grant_type") === "refresh_token") {
      const token = form.get("refresh_token") ?? "";
      if (!this.refreshTokens.delete(token)) return this.json(400, { reason: "Invalid Token!", error: "invalid_grant" });
      this.refreshGrants += 1;
      return this.issueUserTokens();
    }
    return this.json(400, { reason: "unsupported grant type", error: "unsupported_grant_type" });
  }

  /** A meeting whose MP4 has real (generated) bytes to download. */
  /** A meeting whose MP4 (and, with `audioSize`, M4A) the fake serves; returns the video bytes. */
  addDownloadableMeeting(uuid: string, size: number, options: { audioSize?: number } = {}): Uint8Array {
    const bytes = pseudoRandomFile(size, 2463534242);
    this.contents.set(`${uuid}-mp4`, bytes);
    const files: ZoomRecordingFileFixture[] = [{ id: `${uuid}-mp4`, file_type: "MP4", file_size: size, recording_type: "shared_screen_with_speaker_view", status: "completed" }];
    if (options.audioSize) {
      this.contents.set(`${uuid}-m4a`, pseudoRandomFile(options.audioSize, 88675123));
      files.push({ id: `${uuid}-m4a`, file_type: "M4A", file_size: options.audioSize, recording_type: "audio_only", status: "completed" });
    }
    this.meetings.push({ uuid, topic: `Lecture ${uuid}`, start_time: "2026-09-15T10:00:00Z", duration: 90, recording_files: files });
    return bytes;
  }

  /**
   * A signed-body-ready `recording.completed` for one of the fake's meetings, as Zoom sends it: the
   * files' webhook download URLs and a fresh `download_token` that only those URLs accept.
   */
  webhookEvent(uuid: string, options: { host?: string } = {}) {
    const meeting = this.meetings.find((m) => m.uuid === uuid);
    if (!meeting) throw new Error(`fake Zoom has no meeting ${uuid}`);
    const token = `webhook-dl-${crypto.randomUUID()}`;
    this.webhookTokens.add(token);
    const base = this.meetingJson(meeting);
    const host = options.host ?? "zoom.fake";
    return {
      event: "recording.completed",
      event_ts: Date.now(),
      payload: {
        account_id: this.accountId,
        object: {
          ...base,
          recording_files: base.recording_files.map((f) => ({ ...f, download_url: `https://${host}/rec/webhook_download/${f.id ?? "x"}` })),
        },
      },
      download_token: token,
    };
  }

  /** Zoom's file download (§1.5): Bearer download token, Range → 206 + Content-Range; injected faults. */
  private download(request: Request, url: URL): Response {
    const webhookUrl = url.pathname.startsWith("/rec/webhook_download/");
    const fileId = url.pathname.replace(/^\/rec\/(webhook_)?download\//, "");
    const answer = (response: Response): Response => {
      this.downloadLog.push({ kind: webhookUrl ? "webhook" : "api", fileId, status: response.status });
      return response;
    };
    const bytes = this.contents.get(fileId);
    if (!bytes) return answer(new Response("<html>Not found</html>", { status: 404, headers: { "content-type": "text/html" } }));
    const bearer = request.headers.get("Authorization")?.replace(/^Bearer /, "") ?? "";
    const range = /bytes=(\d+)-(\d*)/.exec(request.headers.get("Range") ?? "");
    this.downloadRanges.push(request.headers.get("Range") ?? "");
    const fault = this.downloadFailures.shift();
    if (fault === "500") return answer(this.json(500, { code: 500, message: "Internal error" }));
    if (fault === "429") return answer(this.json(429, { code: 429, message: "Too many requests" }, { "Retry-After": "1" }));
    const tokenFits = webhookUrl ? this.webhookTokens.has(bearer) : this.downloadTokens.has(bearer);
    if (fault === "401" || !tokenFits) return answer(this.json(401, { code: 124, message: "Invalid access token." }));
    if (fault === "html") return answer(new Response("<html>Sign in</html>", { status: 200, headers: { "content-type": "text/html" } }));
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
    const total = fault === "wrong-size" ? bytes.length + 1 : bytes.length;
    const slice = bytes.subarray(start, end + 1);
    const body =
      fault === "drop"
        ? new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(slice.subarray(0, Math.floor(slice.length / 3)));
              controller.error(new Error("connection reset by peer"));
            },
          })
        : slice;
    return answer(
      new Response(body, {
        status: range ? 206 : 200,
        headers: { "content-type": "video/mp4", "content-range": `bytes ${start}-${end}/${total}`, "accept-ranges": "bytes" },
      }),
    );
  }

  private list(url: URL): Response {
    const from = url.searchParams.get("from") ?? "";
    const to = url.searchParams.get("to") ?? "";
    const size = this.pageSize || Number(url.searchParams.get("page_size") ?? 30);
    const offset = Number(url.searchParams.get("next_page_token") || 0);
    const inWindow = this.meetings.filter((m) => m.start_time.slice(0, 10) >= from && m.start_time.slice(0, 10) <= to);
    const page = inWindow.slice(offset, offset + size);
    const next = offset + size < inWindow.length ? String(offset + size) : "";
    return this.json(200, {
      from,
      to,
      page_count: Math.ceil(inWindow.length / size),
      page_size: size,
      total_records: inWindow.length,
      next_page_token: next,
      meetings: page.map((m) => this.meetingJson(m)),
    });
  }
}

type ZoomRecordingFileFixture = { id: string; file_type: string; file_size: number; recording_type: string; status: string };

/** Deterministic file contents (xorshift), starting with an `ftyp` box header like a real MP4/M4A. */
function pseudoRandomFile(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  bytes.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]);
  return bytes;
}

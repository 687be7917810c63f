import { env } from "cloudflare:workers";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { safeFetch } from "../src/integrations/safe-fetch";
import { ProviderError } from "../src/integrations/provider-error";
import { secretBox } from "../src/lib/secret-box";
import { outboundPolicyFrom, outboundRefusal, OutboundUrlRefused, STRICT_OUTBOUND_POLICY, type OutboundPolicy, type OutboundRule } from "../src/lib/outbound-policy";
import { defaultUserConfig } from "../src/services/config/defaults";
import { serviceContext } from "../src/services/context";
import { topicProviders } from "../src/services/topics/llm-providers";
import { asrProviderFor } from "../src/services/transcription/providers";
import { call, expectStatus } from "./helpers/api";
import { endRunsWithinEachTest, ENGINE_ONLY_CONFIG, MiB, setupZoomRecording, sha256, waitForStatus } from "./helpers/pipeline";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { deliver, meetingEvent, WEBHOOK_SECRET } from "./helpers/zoom-webhooks";
import { FakeZoom } from "./fakes/fake-zoom";

declare module "vitest" {
  // biome-ignore lint/suspicious/noExportsInTest: a module augmentation of vitest's types, not an export of this file.
  export interface ProvidedContext {
    /** A loopback server no SSRF attempt may reach (test/setup/trap-server.mjs). */
    ssrfTrapPort: number;
    /** Answers `{"connections": n}`: what the trap has received so far. */
    ssrfControlPort: number;
  }
}

/**
 * Server-side request forgery (issue 13, class 1). Every attempt aims at a loopback trap server
 * (test/setup/trap-server.mjs) that must see zero connections. A request the policy fails to stop
 * really goes out when it aims at loopback (so the trap counts it); one aimed anywhere else is
 * recorded as escaped instead of sent, because tests never touch the network beyond loopback.
 * Fakes of public hosts (a Zoom, a media server) sit in front and hand every other host to that.
 */
const TRAP = inject("ssrfTrapPort");
const CONTROL = inject("ssrfControlPort");
const realFetch: typeof fetch = globalThis.fetch.bind(globalThis);
const POLICY = outboundPolicyFrom({ OUTBOUND_HTTP_ALLOW_HOSTS: "", ENVIRONMENT: "test" });

const trapConnections = async () => ((await (await realFetch(`http://127.0.0.1:${CONTROL}/`)).json()) as { connections: number }).connections;

const escaped: string[] = [];
const LOOPBACK_HOST = /^(?:127(?:\.\d+){3}|\[::1\]|\[::ffff:7f00:1\]|(?:[a-z0-9-]+\.)*localhost\.?)$/;
/** The world beyond the fakes: the trap's port on loopback really connects; anything else is only recorded. */
const outside = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = new URL(new Request(input, init).url);
  if (url.port === String(TRAP) && LOOPBACK_HOST.test(url.hostname)) return realFetch(input, init);
  escaped.push(url.href);
  return new Response("escaped the outbound policy", { status: 599 });
};

beforeAll(async () => {
  // The control answers from loopback: loopback is reachable from here, so a missed check would count.
  expect(await trapConnections()).toBe(0);
});
beforeEach(() => {
  vi.spyOn(globalThis, "fetch").mockImplementation(outside);
});
afterEach(() => vi.restoreAllMocks());
endRunsWithinEachTest();
afterAll(async () => {
  expect(escaped, "requests the outbound policy should have refused").toEqual([]);
  expect(await trapConnections(), "connections that reached the loopback trap (an SSRF attempt got through)").toBe(0);
});

/** Every spelling that reaches a loopback, private, link-local, shared or special address or name. */
const REFUSED: Array<[url: string, rule: OutboundRule, message?: RegExp]> = [
  [`http://127.0.0.1:${TRAP}/x`, "scheme", /only https URLs are allowed \(got http for host 127\.0\.0\.1\)/],
  [`https://127.0.0.1:${TRAP}/x`, "ip_address", /^URL refused: host 127\.0\.0\.1 is a loopback address$/],
  [`https://2130706433:${TRAP}/x`, "ip_address", /127\.0\.0\.1 is a loopback/],
  [`https://0177.0.0.1:${TRAP}/x`, "ip_address", /127\.0\.0\.1 is a loopback/],
  [`https://0x7f.1:${TRAP}/x`, "ip_address", /127\.0\.0\.1 is a loopback/],
  [`https://0x7f000001:${TRAP}/x`, "ip_address"],
  [`https://017700000001:${TRAP}/x`, "ip_address"],
  [`https://127.0.0.0x1:${TRAP}/x`, "ip_address"],
  [`https://127.1:${TRAP}/x`, "ip_address", /127\.0\.0\.1 is a loopback/],
  [`https://127.0.0.1.:${TRAP}/x`, "ip_address"],
  [`https://%31%32%37.0.0.1:${TRAP}/x`, "ip_address"],
  [`https://127\u30020\u30020\u30021:${TRAP}/x`, "ip_address"],
  [`https://0.0.0.0:${TRAP}/x`, "ip_address", /unspecified/],
  [`https://0.0.0.1:${TRAP}/x`, "ip_address", /host 0\.0\.0\.1 is an unspecified address/],
  [`https://[::1]:${TRAP}/x`, "ip_address", /host \[::1\] is a loopback address/],
  [`https://[::]:${TRAP}/x`, "ip_address"],
  [`https://[::ffff:127.0.0.1]:${TRAP}/x`, "ip_address", /loopback/],
  [`https://[::ffff:7f00:1]:${TRAP}/x`, "ip_address", /loopback/],
  [`https://[0:0:0:0:0:ffff:127.0.0.1]:${TRAP}/x`, "ip_address", /loopback/],
  [`https://[::ffff:0:7f00:1]:${TRAP}/x`, "ip_address"],
  [`https://[::127.0.0.1]:${TRAP}/x`, "ip_address", /outside 2000::\/3/],
  [`https://[64:ff9b::127.0.0.1]:${TRAP}/x`, "ip_address", /NAT64/],
  [`https://[2002:7f00:1::]:${TRAP}/x`, "ip_address", /6to4/],
  [`https://[2001:0:4136:e378:8000:63bf:80ff:fffe]:${TRAP}/x`, "ip_address", /Teredo/],
  [`https://[fe80::1]:${TRAP}/x`, "ip_address", /link-local/],
  [`https://[fd00::1]:${TRAP}/x`, "ip_address", /unique local/],
  [`https://[ff02::1]:${TRAP}/x`, "ip_address", /multicast/],
  ["https://10.0.0.5/x", "ip_address", /^URL refused: host 10\.0\.0\.5 is a private address$/],
  ["https://172.16.0.1/x", "ip_address", /private/],
  ["https://192.168.1.1/x", "ip_address", /private/],
  ["https://100.64.0.1/x", "ip_address", /carrier-grade NAT/],
  ["https://100.100.100.200/latest/meta-data", "ip_address", /carrier-grade NAT/],
  ["https://224.0.0.1/x", "ip_address", /multicast/],
  ["https://169.254.169.254/latest/meta-data/", "ip_address", /link-local/],
  ["https://192.0.0.192/opc/v1/instance/", "ip_address", /reserved/],
  ["https://240.0.0.1/x", "ip_address", /reserved/],
  ["https://255.255.255.255/x", "ip_address", /broadcast/],
  [`https://localhost:${TRAP}/x`, "local_name", /host localhost is a local name/],
  [`https://LOCALHOST:${TRAP}/x`, "local_name"],
  [`https://\u24DBocalhost:${TRAP}/x`, "local_name"],
  [`https://localhost.:${TRAP}/x`, "local_name"],
  [`https://foo.localhost:${TRAP}/x`, "local_name"],
  [`https://foo.localhost.:${TRAP}/x`, "local_name"],
  ["https://metadata.google.internal/computeMetadata/v1/", "local_name", /\.internal/],
  ["https://metadata.google.internal./computeMetadata/v1/", "local_name"],
  ["https://instance-data.ec2.internal/latest/", "local_name"],
  ["https://printer.local/x", "local_name"],
  ["https://router.home.arpa/x", "local_name"],
  ["https://kubernetes.default.svc/api", "local_name"],
  ["https://db.cluster.local/x", "local_name"],
  ["https://example.com./x", "trailing_dot", /ends with a dot/],
  ["https://media.example./a.mp4", "trailing_dot"],
  ["https://metadata/computeMetadata/v1/", "single_label", /single label/],
  ["https://intranet-wiki/x", "single_label"],
  ["https://user:pw@media.example/a.mp4", "userinfo", /user name or password/],
  ["https://user@media.example/a.mp4", "userinfo"],
  ["https://:pw@media.example/a.mp4", "userinfo"],
  ["ftp://media.example/a.mp4", "scheme"],
  ["file:///etc/passwd", "scheme"],
  [`gopher://127.0.0.1:${TRAP}/x`, "scheme"],
  ["data:video/mp4;base64,AAAA", "scheme"],
  ["not a url", "invalid_url"],
  ["https://1.2.3.4.5/x", "invalid_url"],
];

describe("the outbound policy", () => {
  it.each(REFUSED)("refuses %s (%s) without connecting", async (url, rule, message) => {
    const refusal = outboundRefusal(url, STRICT_OUTBOUND_POLICY);
    expect(refusal?.rule, `${url} → ${refusal?.message ?? "allowed"}`).toBe(rule);
    expect(refusal?.message).toMatch(/^URL refused: /);
    if (message) expect(refusal?.message).toMatch(message);
    // Had the check let it through, the trap would count it (or `escaped` record it).
    const attempt = safeFetch(url, { headers: { Authorization: "Bearer secret" } }, { policy: POLICY });
    await expect(attempt).rejects.toBeInstanceOf(OutboundUrlRefused);
    await expect(attempt).rejects.toMatchObject({ rule });
  });

  it("allows https to public hosts and global addresses, on any port", () => {
    for (const url of [
      "https://media.example/a.mp4",
      "https://us06web.zoom.us/rec/download/abc",
      "https://8.8.8.8/x",
      "https://[2606:4700:4700::1111]/x",
      "https://asr.university.edu:8443/v1",
      "https://xn--80ak6aa92e.com/x",
    ]) {
      expect(outboundRefusal(url, STRICT_OUTBOUND_POLICY), url).toBeNull();
    }
  });

  it("takes plain http only for listed hosts, and in production a listed host must still be public", () => {
    const dev: OutboundPolicy = outboundPolicyFrom({ OUTBOUND_HTTP_ALLOW_HOSTS: "dev-fake.test:8788, 127.0.0.1", ENVIRONMENT: "development" });
    expect(outboundRefusal("http://dev-fake.test:8788/x", dev)).toBeNull();
    expect(outboundRefusal("http://dev-fake.test:9999/x", dev)?.rule).toBe("scheme");
    expect(outboundRefusal("http://other.example/x", dev)?.rule).toBe("scheme");
    expect(outboundRefusal("http://127.0.0.1/x", dev)).toBeNull();
    const prod = outboundPolicyFrom({ OUTBOUND_HTTP_ALLOW_HOSTS: "127.0.0.1,media.example", ENVIRONMENT: "production" });
    expect(outboundRefusal("http://127.0.0.1/x", prod)?.rule).toBe("ip_address");
    expect(outboundRefusal("http://media.example/x", prod)).toBeNull();
    expect(outboundRefusal("http://media.example/x", POLICY)?.rule).toBe("scheme");
  });
});

interface Seen {
  url: string;
  authorization: string | null;
  apiKey: string | null;
  range: string | null;
}

/** Fake public hosts in front of `outside`, so a hop the wrapper failed to check lands in the trap. */
function fakeHosts(routes: Record<string, (url: URL, request: Request) => Response | Promise<Response>>, fallback?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>) {
  const seen: Seen[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const route = routes[url.hostname];
    if (!route) return (fallback ?? outside)(input, init);
    seen.push({ url: request.url, authorization: request.headers.get("Authorization"), apiKey: request.headers.get("X-Api-Key"), range: request.headers.get("Range") });
    return route(url, request);
  });
  return seen;
}

const redirect = (location: string, status = 302) => new Response(null, { status, headers: { Location: location } });

describe("redirects, followed by hand", () => {
  it.each([
    [`http://127.0.0.1:${TRAP}/x`, "scheme"],
    [`https://127.0.0.1:${TRAP}/x`, "ip_address"],
    [`https://[::ffff:127.0.0.1]:${TRAP}/x`, "ip_address"],
    [`//127.0.0.1:${TRAP}/x`, "ip_address"],
    [`https://localhost.:${TRAP}/x`, "local_name"],
    [`https://2130706433:${TRAP}/x`, "ip_address"],
    ["https://169.254.169.254/latest/meta-data/", "ip_address"],
  ] as const)("refuses a public host's redirect to %s", async (location, rule) => {
    const seen = fakeHosts({ "files.example": (url) => (url.pathname === "/a" ? redirect("/b") : redirect(location, 307)) });
    const attempt = safeFetch("https://files.example/a", { headers: { Authorization: "Bearer tenant-token" } }, { policy: POLICY });
    await expect(attempt).rejects.toMatchObject({ name: "OutboundUrlRefused", rule });
    await expect(attempt).rejects.toThrow(/\(redirect 2 from files\.example\)/);
    expect(seen.map((s) => new URL(s.url).pathname)).toEqual(["/a", "/b"]);
  });

  it("sends credentials only to the first host: a hop to another host (and back) gets none", async () => {
    const seen = fakeHosts({
      "files.example": (url) => (url.pathname === "/dl" ? redirect("/dl2") : url.pathname === "/dl2" ? redirect("https://cdn.example/blob?sig=1") : new Response("back")),
      "cdn.example": () => redirect("https://files.example/after"),
    });
    const headers = { Authorization: "Bearer tenant-token", "X-Api-Key": "key-123", Range: "bytes=0-9" };
    const response = await safeFetch("https://files.example/dl", { headers }, { policy: POLICY });
    expect(await response.text()).toBe("back");
    expect(seen).toEqual([
      { url: "https://files.example/dl", authorization: "Bearer tenant-token", apiKey: "key-123", range: "bytes=0-9" },
      { url: "https://files.example/dl2", authorization: "Bearer tenant-token", apiKey: "key-123", range: "bytes=0-9" },
      { url: "https://cdn.example/blob?sig=1", authorization: null, apiKey: null, range: "bytes=0-9" },
      { url: "https://files.example/after", authorization: null, apiKey: null, range: "bytes=0-9" },
    ]);
  });

  it("sends no credentials to a first host outside the credential hosts", async () => {
    const seen = fakeHosts({ "files.example": () => new Response("ok") });
    await safeFetch("https://files.example/x", { headers: { Authorization: "Bearer zoom-token" } }, { policy: POLICY, credentialHosts: ["zoom.us", "*.zoom.us"] });
    expect(seen[0]?.authorization).toBeNull();
  });

  it("follows at most 5 redirects", async () => {
    const chain = (limit: number) => fakeHosts({ "files.example": (url) => (Number(url.pathname.slice(1)) < limit ? redirect(`/${Number(url.pathname.slice(1)) + 1}`) : new Response("end")) });
    const five = chain(5);
    expect(await (await safeFetch("https://files.example/0", {}, { policy: POLICY })).text()).toBe("end");
    expect(five).toHaveLength(6);
    vi.restoreAllMocks();
    const six = chain(6);
    await expect(safeFetch("https://files.example/0", {}, { policy: POLICY })).rejects.toMatchObject({ rule: "redirect_limit", message: "URL refused: more than 5 redirects" });
    expect(six).toHaveLength(6); // the sixth redirect is never requested
  });
});

async function zoomWebhookSource(t: Tenant, zoom: FakeZoom): Promise<number> {
  const credential = await call<{ id: number }>("/api/v1/credentials", {
    token: t.accessToken,
    body: { platform: "zoom", credentials: { account_id: zoom.accountId, client_id: zoom.clientId, client_secret: zoom.clientSecret, webhook_secret_token: WEBHOOK_SECRET } },
  });
  expectStatus(credential, 201);
  const source = await call<{ id: number }>("/api/v1/sources", { token: t.accessToken, body: { name: "Zoom", platform: "ZOOM", credential_id: credential.body.id } });
  expectStatus(source, 201);
  return source.body.id;
}

async function poll<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await probe();
  for (let i = 0; i < 200 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}

/** The Zoom fake for its own hosts, in front of `outside`. */
const zoomOr = (zoom: FakeZoom) => (input: RequestInfo | URL, init?: RequestInit) => {
  const host = new URL(new Request(input, init).url).hostname;
  return ["zoom.us", "api.zoom.us", "zoom.fake"].includes(host) ? zoom.handle(input, init) : outside(input, init);
};

/** A range server over `bytes` (a storage host a Zoom download redirects to). */
function serveRange(bytes: Uint8Array, request: Request): Response {
  const range = /bytes=(\d+)-(\d*)/.exec(request.headers.get("Range") ?? "");
  const start = range ? Number(range[1]) : 0;
  const end = range?.[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
  return new Response(bytes.slice(start, end + 1), {
    status: range ? 206 : 200,
    headers: { "content-type": "video/mp4", "content-range": `bytes ${start}-${end}/${bytes.length}`, "content-length": String(end - start + 1) },
  });
}

describe("Zoom download URLs", () => {
  it("does not keep a signed webhook's download_url that points at loopback, a non-Zoom host or a trailing-dot name; the copy comes through Zoom's API", async () => {
    const zoom = new FakeZoom();
    vi.spyOn(globalThis, "fetch").mockImplementation(zoomOr(zoom));
    const t = await createTenant("ssrfhook");
    const sourceId = await zoomWebhookSource(t, zoom);
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: { ...ENGINE_ONLY_CONFIG, download: { blank_min_size_mb: 1 } } });
    await call("/api/v1/templates", { token: t.accessToken, body: { name: "Lectures", matching_rules: { keywords: ["lecture"] } } });
    const uuid = "ssrfhook-meeting==";
    const bytes = zoom.addDownloadableMeeting(uuid, 6 * MiB);
    const event = meetingEvent("recording.completed", {
      uuid,
      topic: "Lecture with a hostile download URL",
      files: [
        { id: `${uuid}-mp4`, type: "MP4", size: bytes.length },
        { id: `${uuid}-m4a`, type: "M4A", size: 1000 },
        { id: `${uuid}-vtt`, type: "TRANSCRIPT", size: 100 },
        { id: `${uuid}-chat`, type: "CHAT", size: 100 },
      ],
    });
    const [video, audio, vtt, chat] = event.payload.object.recording_files;
    video!.download_url = `https://127.0.0.1:${TRAP}/rec/webhook_download/x`;
    audio!.download_url = `http://[::ffff:127.0.0.1]:${TRAP}/rec/webhook_download/y`;
    vtt!.download_url = "https://us06web.zoom.us./rec/webhook_download/z";
    chat!.download_url = "https://evil.example/rec/webhook_download/w";
    expectStatus(await deliver(sourceId, event), 200);

    const files = await poll(
      () => env.DB.prepare("SELECT zoom_file_id, download_url FROM recording_files WHERE user_id = ? ORDER BY zoom_file_id").bind(t.userId).all<{ zoom_file_id: string; download_url: string | null }>(),
      (r) => r.results.length === 4,
    );
    expect(files.results.map((f) => f.download_url)).toEqual([null, null, null, null]);
    const recording = await env.DB.prepare("SELECT r.id, m.metadata FROM recordings r JOIN source_metadata m ON m.recording_id = r.id WHERE r.user_id = ?")
      .bind(t.userId)
      .first<{ id: number; metadata: string }>();
    expect(JSON.parse(recording!.metadata).download_url_refused).toBe("URL refused: host 127.0.0.1 is a loopback address");

    // The recording is still copied: through Zoom's API, with its fresh URL and token.
    expectStatus(await call(`/api/v1/recordings/${recording!.id}/download`, { method: "POST", token: t.accessToken }), 202);
    const row = await waitForStatus(recording!.id, (s) => s !== "DOWNLOADING");
    expect(row).toMatchObject({ status: "DOWNLOADED", failed: 0 });
    expect(await sha256(await (await env.MEDIA.get(row.source_object_key!))!.arrayBuffer())).toBe(await sha256(bytes));
    expect(zoom.requests.some((r) => r.path.endsWith("/recordings"))).toBe(true);
  });

  it("follows Zoom's redirect to its storage without the token, and refuses one to loopback", async () => {
    const zoom = new FakeZoom();
    let bytes: Uint8Array = new Uint8Array();
    const toStorage = fakeHosts(
      {
        "zoom.fake": (url, request) =>
          request.headers.get("Authorization") === "Bearer fake-download-token" ? redirect(`https://ssrweb.storage.example${url.pathname}?sig=abc`) : new Response("no token", { status: 401 }),
        "ssrweb.storage.example": (_url, request) => serveRange(bytes, request),
      },
      zoomOr(zoom),
    );
    const setup = await setupZoomRecording(zoom, "ssrfzoomhop", 6 * MiB);
    const { t, recordingId } = setup;
    bytes = setup.bytes;
    expectStatus(await call(`/api/v1/recordings/${recordingId}/download`, { method: "POST", token: t.accessToken }), 202);
    const row = await waitForStatus(recordingId, (s) => s !== "DOWNLOADING");
    expect(row, JSON.stringify(row)).toMatchObject({ status: "DOWNLOADED", failed: 0 });
    expect(await sha256(await (await env.MEDIA.get(row.source_object_key!))!.arrayBuffer())).toBe(await sha256(bytes));
    const storage = toStorage.filter((s) => s.url.startsWith("https://ssrweb.storage.example/"));
    expect(storage.length).toBeGreaterThan(0);
    expect(storage.every((s) => s.authorization === null && s.range !== null)).toBe(true);
    expect(toStorage.filter((s) => s.url.startsWith("https://zoom.fake/")).every((s) => s.authorization === "Bearer fake-download-token")).toBe(true);
    vi.restoreAllMocks();

    const zoom2 = new FakeZoom();
    fakeHosts({ "zoom.fake": () => redirect(`https://[::ffff:7f00:1]:${TRAP}/steal`) }, zoomOr(zoom2));
    const other = await setupZoomRecording(zoom2, "ssrfzoomtrap", 6 * MiB);
    expectStatus(await call(`/api/v1/recordings/${other.recordingId}/download`, { method: "POST", token: other.t.accessToken }), 202);
    const refused = await waitForStatus(other.recordingId, (s) => s !== "DOWNLOADING");
    expect(refused).toMatchObject({ status: "INITIALIZED", failed: 1, failed_at_stage: "DOWNLOAD", source_object_key: null });
    expect(refused.failed_reason).toMatch(/refused: URL refused: host \[::ffff:7f00:1\] is a loopback address \(redirect 1 from zoom\.fake\)/);
  });
});

describe("URL import", () => {
  const importUrls = [
    `http://127.0.0.1:${TRAP}/a.mp4`,
    `https://127.0.0.1:${TRAP}/a.mp4`,
    `https://[::ffff:127.0.0.1]:${TRAP}/a.mp4`,
    `https://2130706433:${TRAP}/a.mp4`,
    `https://0x7f.1:${TRAP}/a.mp4`,
    `https://localhost.:${TRAP}/a.mp4`,
    `https://foo.localhost.:${TRAP}/a.mp4`,
    "https://metadata.google.internal./computeMetadata/v1/",
    "https://0.0.0.1/a.mp4",
    "https://100.64.0.1/a.mp4",
    "https://224.0.0.1/a.mp4",
    "https://169.254.169.254/latest/meta-data/",
    "https://media.example./a.mp4",
    "https://user:pw@media.example/a.mp4",
  ];

  it("refuses every variant at submit time with a 400 naming the rule, storing nothing", async () => {
    const t = await createTenant("ssrfimport");
    for (const url of importUrls) {
      const response = await call<{ error: { message: string; details: { rule: string } } }>("/api/v1/recordings/import", { token: t.accessToken, body: { url, display_name: "Lecture" } });
      if (response.status === 400 && response.body.error.message.startsWith("Invalid")) continue; // the URL schema refused it first
      expectStatus(response, 400);
      expect(response.body.error.message, url).toMatch(/^URL refused: /);
      expect(response.body.error.details.rule, url).toBe(outboundRefusal(url, POLICY)?.rule);
    }
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(0);
  });

  it("re-checks at download: a redirect to loopback, or a stored URL from before the policy, fails the run without connecting", async () => {
    const t = await createTenant("ssrfimportrun");
    await call("/api/v1/users/me/config", { method: "PATCH", token: t.accessToken, body: ENGINE_ONLY_CONFIG });
    await call("/api/v1/templates", { token: t.accessToken, body: { name: "Lectures", matching_rules: { keywords: ["lecture"] } } });
    fakeHosts({ "media.example": () => redirect(`https://0177.0.0.1:${TRAP}/a.mp4`, 301) });
    const imported = await call<{ id: number }>("/api/v1/recordings/import", { token: t.accessToken, body: { url: "https://media.example/moved.mp4", display_name: "Lecture moved" } });
    expectStatus(imported, 201);
    expectStatus(await call(`/api/v1/recordings/${imported.body.id}/download`, { method: "POST", token: t.accessToken }), 202);
    const row = await waitForStatus(imported.body.id, (s) => s !== "DOWNLOADING");
    expect(row).toMatchObject({ status: "INITIALIZED", failed: 1, failed_at_stage: "DOWNLOAD" });
    expect(row.failed_reason).toMatch(/URL refused: host 127\.0\.0\.1 is a loopback address \(redirect 1 from media\.example\)/);

    const old = await call<{ id: number }>("/api/v1/recordings/import", { token: t.accessToken, body: { url: "https://media.example/old.mp4", display_name: "Lecture old" } });
    const stale = `https://127.0.0.1:${TRAP}/old.mp4`;
    await env.DB.prepare("UPDATE source_metadata SET metadata = ? WHERE recording_id = ?").bind(JSON.stringify({ url: stale, host: "127.0.0.1" }), old.body.id).run();
    expectStatus(await call(`/api/v1/recordings/${old.body.id}/download`, { method: "POST", token: t.accessToken }), 202);
    const oldRow = await waitForStatus(old.body.id, (s) => s !== "DOWNLOADING");
    expect(oldRow.failed_reason).toMatch(/URL refused: host 127\.0\.0\.1 is a loopback address/);
  });
});

describe("credential base_url", () => {
  const badBaseUrls = [
    "https://169.254.169.254",
    "https://10.0.0.5",
    "https://[::1]:1",
    `https://127.0.0.1:${TRAP}/v1`,
    `https://[::ffff:127.0.0.1]:${TRAP}/v1`,
    `https://2130706433:${TRAP}/v1`,
    "https://0x7f.1/v1",
    "https://localhost./v1",
    "https://metadata.google.internal/v1",
    "https://api.example.com./v1",
    "https://whisper/v1",
    "http://api.example.com",
    "https://user:pw@api.example.com",
  ];

  it.each(["openai", "deepseek", "assemblyai", "fireworks"])("refuses a %s credential whose base_url fails the policy (400, nothing stored)", async (platform) => {
    const t = await createTenant(`ssrfcred${platform}`);
    for (const base_url of badBaseUrls) {
      const response = await call<{ error: { message: string } }>("/api/v1/credentials", { token: t.accessToken, body: { platform, credentials: { api_key: "sk-0123456789abcdef", base_url } } });
      expectStatus(response, 400);
      expect(response.body.error.message, base_url).toMatch(/base_url: URL refused: /);
    }
    expect(await countRows("user_credentials", "user_id = ?", t.userId)).toBe(0);
    const good = await call<{ id: number }>("/api/v1/credentials", { token: t.accessToken, body: { platform, credentials: { api_key: "sk-0123456789abcdef", base_url: "https://asr.university.edu:8443" } } });
    expectStatus(good, 201);
    const patched = await call(`/api/v1/credentials/${good.body.id}`, { method: "PATCH", token: t.accessToken, body: { credentials: { api_key: "sk-0123456789abcdef", base_url: "https://10.0.0.5" } } });
    expectStatus(patched, 400);
  });

  it("never connects to a stored base_url saved before the policy: transcription and topics fail with the rule", async () => {
    const t = await createTenant("ssrfcredold");
    const ctx = serviceContext(env);
    const box = await secretBox(env.ENCRYPTION_KEYS!);
    const plant = async (platform: string, baseUrl: string) => {
      const created = await call<{ id: number }>("/api/v1/credentials", { token: t.accessToken, body: { platform, credentials: { api_key: `sk-${platform}-0123456789` } } });
      expectStatus(created, 201);
      const sealed = await box.seal(JSON.stringify({ api_key: `sk-${platform}-0123456789`, base_url: baseUrl }));
      await env.DB.prepare("UPDATE user_credentials SET encrypted_data = ? WHERE id = ?").bind(sealed, created.body.id).run();
    };
    await plant("openai", `https://127.0.0.1:${TRAP}/v1`);
    await plant("deepseek", `https://[::ffff:7f00:1]:${TRAP}`);

    const config = defaultUserConfig();
    config.transcription.provider = "openai";
    const asr = await asrProviderFor(ctx, t.userId, config);
    const audio = { url: null, size: 4, filename: "a.m4a", contentType: "audio/mp4", open: async () => new Blob([new Uint8Array(4)]).stream() };
    const transcribing = asr.start({ audio, language: null, prompt: "", temperature: 0 });
    await expect(transcribing).rejects.toBeInstanceOf(ProviderError);
    await expect(transcribing).rejects.toMatchObject({ retryable: false, message: "OpenAI: URL refused: host 127.0.0.1 is a loopback address" });

    config.transcription.topics_providers = ["deepseek"];
    const [chat] = await topicProviders(ctx, t.userId, config);
    await expect(chat!.complete([{ role: "user", content: "topics?" }], { jsonMode: true, maxTokens: 100 })).rejects.toMatchObject({
      retryable: false,
      message: "deepseek: URL refused: host [::ffff:7f00:1] is a loopback address",
    });
  });
});

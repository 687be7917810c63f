import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import { createEmailTransport } from "../src/integrations/email";
import { loadConfig, type AppConfig } from "../src/lib/config";
import { requestPasswordReset } from "../src/services/auth/password-reset";
import { sendVerification } from "../src/services/auth/email-verification";
import { AccountsRepository } from "../src/db/repositories/accounts.repository";
import { serviceContext } from "../src/services/context";
import { deliverDueEmails, renderEmail, sendEmail } from "../src/services/email";
import { FakeEmailApi } from "./fakes/fake-email-api";
import { call, expectErrorEnvelope, expectStatus, uniqueEmail, uniqueIp, type ApiResponse } from "./helpers/api";
import { countRows, createTenant, createTwoTenants, DEFAULT_PASSWORD, login } from "./helpers/tenants";

interface OutboxItem {
  id: string;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
}
type User = Record<string, unknown>;

const LINK_BASE = "https://app.example.test";
const NEW_PASSWORD = "Recovered-Pass-77";

async function outbox(to: string, kind?: string): Promise<OutboxItem[]> {
  const response = await call<{ items: OutboxItem[] }>(`/api/v1/dev/outbox?to=${encodeURIComponent(to)}`);
  expectStatus(response, 200);
  return kind === undefined ? response.body.items : response.body.items.filter((m) => m.kind === kind);
}

/** Mail sent after the response (waitUntil) shows up a moment later. */
async function waitForMail(to: string, kind: string, count = 1): Promise<OutboxItem[]> {
  for (let i = 0; i < 100; i++) {
    const items = (await outbox(to)).filter((m) => m.kind === kind);
    if (items.length >= count) return items;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`expected ${count} ${kind} message(s) to ${to}, got ${JSON.stringify(await outbox(to))}`);
}

function tokenOf(message: OutboxItem, path: "verify-email" | "reset-password"): string {
  const link = message.links.find((l) => l.startsWith(`${LINK_BASE}/${path}#token=`));
  expect(link, `no ${path} link in ${JSON.stringify(message.links)}`).toBeDefined();
  return decodeURIComponent(String(link).split("#token=")[1] ?? "");
}

const me = (token: string) => call<User>("/api/v1/users/me", { token });
const verify = (token: unknown) => call<User>("/api/v1/auth/verify-email", { body: { token }, ip: uniqueIp() });
const forgot = (email: string, ip = uniqueIp()) => call<{ message: string }>("/api/v1/auth/forgot-password", { body: { email }, ip });
const reset = (token: unknown, newPassword: unknown = NEW_PASSWORD) =>
  call<{ revoked_sessions: number }>("/api/v1/auth/reset-password", { body: { token, new_password: newPassword }, ip: uniqueIp() });
const clockAt = (date: Date) => serviceContext(env, { now: () => date });

async function register(email: string, extra: Record<string, unknown> = {}, ip = uniqueIp()): Promise<ApiResponse<User>> {
  return call<User>("/api/v1/auth/register", { body: { email, password: DEFAULT_PASSWORD, ...extra }, ip });
}

describe("e-mail verification", () => {
  it("register → the outbox has a link → verify-email marks the address verified; the link works once", async () => {
    const email = uniqueEmail("verify");
    const registered = await register(email);
    expectStatus(registered, 201);
    expect(registered.body).toMatchObject({ email, email_verified: false, is_verified: false, email_verified_at: null, pending_email: null, locale: "en" });
    const [message] = await outbox(email);
    expect(message).toMatchObject({ kind: "verify-email", to: email, subject: expect.stringContaining("Confirm your e-mail") });
    expect(message?.html).toContain("<a href=");

    const tokens = await login(email, DEFAULT_PASSWORD, uniqueIp());
    expect((await me(tokens.access_token)).body.email_verified).toBe(false);

    const verified = await verify(tokenOf(message as OutboxItem, "verify-email"));
    expectStatus(verified, 200);
    expect(verified.body).toMatchObject({ id: registered.body.id, email_verified: true, is_verified: true });
    expect(verified.body.email_verified_at).toEqual(expect.any(String));
    expect((await me(tokens.access_token)).body).toMatchObject({ email_verified: true, is_verified: true });

    const again = await verify(tokenOf(message as OutboxItem, "verify-email"));
    expectStatus(again, 400);
    expect((again.body as { error: { message: string } }).error.message).toBe("Invalid or expired token");
    // Only the hash is stored.
    expect(await countRows("email_tokens", "token_hash = ?", tokenOf(message as OutboxItem, "verify-email"))).toBe(0);
  });

  it("refuses an expired link (service clock); resend-verification mails a new one and retires the old", async () => {
    const tenant = await createTenant("expired-verify");
    const user = await new AccountsRepository(serviceContext(env).db).findById(tenant.userId);
    // A link issued 49 hours ago (it lives 48).
    await sendVerification(clockAt(new Date(Date.now() - 49 * 3_600_000)), user!, { email: tenant.email, isChange: false, linkBase: LINK_BASE });
    const [stale] = await outbox(tenant.email);
    expectStatus(await verify(tokenOf(stale as OutboxItem, "verify-email")), 400);

    const resent = await call<{ email: string }>("/api/v1/auth/resend-verification", { method: "POST", token: tenant.accessToken, ip: tenant.ip });
    expectStatus(resent, 202);
    expect(resent.body.email).toBe(tenant.email);
    const messages = await outbox(tenant.email);
    expect(messages.length).toBe(3); // registration, the stale one, the resent one
    const registrationLink = messages[2] as OutboxItem;
    expectStatus(await verify(tokenOf(registrationLink, "verify-email")), 400); // retired by the newer links
    expectStatus(await verify(tokenOf(messages[0] as OutboxItem, "verify-email")), 200);

    const already = await call("/api/v1/auth/resend-verification", { method: "POST", token: tenant.accessToken, ip: tenant.ip });
    expectStatus(already, 409);
    expectStatus(await call("/api/v1/auth/resend-verification", { method: "POST" }), 401);
  });

  it("bad tokens and bodies get a clear 400 and change nothing", async () => {
    const tenant = await createTenant("bad-verify");
    for (const body of [{}, { token: 5 }, { token: "" }, { token: "x".repeat(300) }, { token: "ev_abc", extra: 1 }]) {
      const response = await call("/api/v1/auth/verify-email", { body, ip: uniqueIp() });
      expectStatus(response, 400);
    }
    expectStatus(await verify("ev_not-a-real-token"), 400);
    expectStatus(await verify("' OR 1=1 --"), 400);
    expectStatus(await call("/api/v1/auth/verify-email", { rawBody: "{not json", headers: { "Content-Type": "application/json" } }), 400);
    expect((await me(tenant.accessToken)).body.email_verified).toBe(false);
  });

  it("an e-mail change takes effect only when the new address is verified", async () => {
    const tenant = await createTenant("change");
    const newEmail = uniqueEmail("changed");
    const patched = await call<User>("/api/v1/users/me", { method: "PATCH", token: tenant.accessToken, body: { email: newEmail, current_password: tenant.password } });
    expectStatus(patched, 200);
    expect(patched.body).toMatchObject({ email: tenant.email, pending_email: newEmail });
    // Not the sign-in address yet.
    expectStatus(await call("/api/v1/auth/login", { body: { email: newEmail, password: tenant.password }, ip: uniqueIp() }), 401);
    const [message] = await outbox(newEmail);
    expect(message).toMatchObject({ kind: "verify-email-change", subject: expect.stringContaining("new e-mail address") });

    const verified = await verify(tokenOf(message as OutboxItem, "verify-email"));
    expectStatus(verified, 200);
    expect(verified.body).toMatchObject({ email: newEmail, pending_email: null, email_verified: true });
    await login(newEmail, tenant.password, uniqueIp());
    expectStatus(await call("/api/v1/auth/login", { body: { email: tenant.email, password: tenant.password }, ip: uniqueIp() }), 401);
  });

  it("a pending change to an address another account took meanwhile answers 409; a taken address 409 at once", async () => {
    const { a, b } = await createTwoTenants();
    expectStatus(await call("/api/v1/users/me", { method: "PATCH", token: a.accessToken, body: { email: b.email, current_password: a.password } }), 409);
    expect((await me(a.accessToken)).body.pending_email).toBeNull();

    const contested = uniqueEmail("contested");
    expectStatus(await call("/api/v1/users/me", { method: "PATCH", token: a.accessToken, body: { email: contested, current_password: a.password } }), 200);
    const [link] = await outbox(contested);
    expectStatus(await register(contested), 201); // someone else registers the address first
    const response = await verify(tokenOf(link as OutboxItem, "verify-email"));
    expectStatus(response, 409);
    expectErrorEnvelope(response, "CONFLICT");
    expect((await me(a.accessToken)).body.email).toBe(a.email);
  });

  it("resend-verification mails only the caller's own address (tenant B never reaches A's pending change)", async () => {
    const { a, b } = await createTwoTenants();
    const pending = uniqueEmail("a-pending");
    expectStatus(await call("/api/v1/users/me", { method: "PATCH", token: a.accessToken, body: { email: pending, current_password: a.password } }), 200);
    const byB = await call<{ email: string }>("/api/v1/auth/resend-verification", { method: "POST", token: b.accessToken, ip: b.ip });
    expectStatus(byB, 202);
    expect(byB.body.email).toBe(b.email);
    expect((await outbox(pending)).length).toBe(1);
    const byA = await call<{ email: string }>("/api/v1/auth/resend-verification", { method: "POST", token: a.accessToken, ip: a.ip });
    expect(byA.body.email).toBe(pending);
    // Per target address: 3 an hour (the change itself was not a resend request).
    for (let i = 0; i < 2; i++) expectStatus(await call("/api/v1/auth/resend-verification", { method: "POST", token: a.accessToken, ip: a.ip }), 202);
    const limited = await call("/api/v1/auth/resend-verification", { method: "POST", token: a.accessToken, ip: a.ip });
    expectStatus(limited, 429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
  });

  it("escapes hostile names in the HTML part and writes Russian mail for locale ru", async () => {
    const email = uniqueEmail("hostile");
    expectStatus(await register(email, { full_name: `<img src=x onerror="alert(1)">`, locale: "ru" }), 201);
    const [message] = await outbox(email);
    expect(message?.html).not.toContain("<img");
    expect(message?.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(message?.subject).toContain("Подтвердите");
    expect(message?.html).toContain('lang="ru"');
    expect(() => renderEmail({ subject: "s", greeting: "g", paragraphs: [], action: { label: "x", url: "javascript:alert(1)" }, footer: "f" }, "en")).toThrow();
    expectStatus(await register(uniqueEmail("badlocale"), { locale: "de" }), 400);
  });
});

describe("registration does not reveal existing accounts", () => {
  it("answers a taken address with the same status and shape, creates nothing, and tells the owner", async () => {
    const tenant = await createTenant("taken");
    const fresh = await register(uniqueEmail("fresh"), { full_name: "Same Name" });
    const taken = await register(tenant.email.toUpperCase(), { full_name: "Same Name" });
    expectStatus(taken, 201);
    expect(Object.keys(taken.body).sort()).toEqual(Object.keys(fresh.body).sort());
    expect(taken.body).toMatchObject({ email: tenant.email, full_name: "Same Name", role: "user", is_active: true, email_verified: false, last_login_at: null });
    expect(taken.body.id).not.toBe(tenant.userId);
    expect(taken.body.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(await countRows("users", "email = ?", tenant.email)).toBe(1);
    expect(await countRows("users", "id = ?", String(taken.body.id))).toBe(0);
    const kinds = (await outbox(tenant.email)).map((m) => m.kind);
    expect(kinds).toEqual(["registration-attempt", "verify-email"]);
    const [notice] = await outbox(tenant.email);
    expect(notice?.links).toContain(`${LINK_BASE}/forgot-password`);
    // The owner's password still works; the attempted one did not replace it.
    await login(tenant.email, tenant.password, uniqueIp());
  });
});

describe("password reset", () => {
  it("request → outbox → reset revokes every session, refuses the old password, and the token works once", async () => {
    const tenant = await createTenant("reset");
    const second = await login(tenant.email, tenant.password, tenant.ip);
    const accepted = await forgot(tenant.email);
    expectStatus(accepted, 202);
    const [message] = await waitForMail(tenant.email, "password-reset");
    expect(message?.subject).toContain("Reset your password");
    const token = tokenOf(message as OutboxItem, "reset-password");

    const done = await reset(token);
    expectStatus(done, 200);
    expect(done.body.revoked_sessions).toBe(2);
    expectStatus(await me(tenant.accessToken), 401);
    expectStatus(await me(second.access_token), 401);
    expectStatus(await call("/api/v1/auth/refresh", { body: { refresh_token: tenant.refreshToken }, ip: uniqueIp() }), 401);
    expectStatus(await call("/api/v1/auth/login", { body: { email: tenant.email, password: tenant.password }, ip: uniqueIp() }), 401);
    const fresh = await login(tenant.email, NEW_PASSWORD, uniqueIp());
    // Following the link proved the address.
    expect((await me(fresh.access_token)).body.email_verified).toBe(true);

    expectStatus(await reset(token, "Yet-Another-Pass-1"), 400);
    await login(tenant.email, NEW_PASSWORD, uniqueIp());
  });

  it("a link expires after 30 minutes (service clock); a newer link retires the older one", async () => {
    const tenant = await createTenant("reset-expiry");
    const ctx31 = clockAt(new Date(Date.now() - 31 * 60_000));
    await requestPasswordReset(ctx31, { email: tenant.email, linkBase: LINK_BASE });
    const [old] = await outbox(tenant.email, "password-reset");
    expectStatus(await reset(tokenOf(old as OutboxItem, "reset-password")), 400);

    await requestPasswordReset(clockAt(new Date(Date.now() - 29 * 60_000)), { email: tenant.email, linkBase: LINK_BASE });
    await requestPasswordReset(clockAt(new Date(Date.now() - 28 * 60_000)), { email: tenant.email, linkBase: LINK_BASE });
    const [newest, older] = await outbox(tenant.email, "password-reset");
    expectStatus(await reset(tokenOf(older as OutboxItem, "reset-password")), 400);
    expectStatus(await reset(tokenOf(newest as OutboxItem, "reset-password")), 200);
  });

  it("answers the same for registered and unknown addresses, and mails only the registered one", async () => {
    const tenant = await createTenant("enum");
    const unknown = uniqueEmail("nobody");
    const timings: Record<"known" | "unknown", number[]> = { known: [], unknown: [] };
    let known: ApiResponse<{ message: string }> | undefined;
    let stranger: ApiResponse<{ message: string }> | undefined;
    for (let i = 0; i < 3; i++) {
      let started = performance.now();
      known = await forgot(tenant.email);
      timings.known.push(performance.now() - started);
      started = performance.now();
      stranger = await forgot(unknown);
      timings.unknown.push(performance.now() - started);
    }
    expect(stranger?.status).toBe(known?.status);
    expect(stranger?.text).toBe(known?.text);
    expect(known?.status).toBe(202);
    const headerNames = (r: ApiResponse<unknown> | undefined) => [...(r?.headers.keys() ?? [])].sort();
    expect(headerNames(stranger)).toEqual(headerNames(known));
    await waitForMail(tenant.email, "password-reset", 3);
    expect(await outbox(unknown)).toEqual([]);
    const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[1] ?? 0;
    console.info(`forgot-password median ms: known ${median(timings.known).toFixed(1)}, unknown ${median(timings.unknown).toFixed(1)}`);
    // The lookup and the mail run after the answer, so neither answer waits for them.
    expect(Math.abs(median(timings.known) - median(timings.unknown))).toBeLessThan(250);
  });

  it("limits requests per e-mail address (known or not) and per client address", async () => {
    for (const email of [(await createTenant("limit")).email, uniqueEmail("limit-unknown")]) {
      for (let i = 0; i < 3; i++) expectStatus(await forgot(email), 202);
      const limited = await forgot(email);
      expectStatus(limited, 429);
      expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
    }
    const ip = uniqueIp();
    for (let i = 0; i < 10; i++) expectStatus(await forgot(uniqueEmail("spray"), ip), 202);
    expectStatus(await forgot(uniqueEmail("spray"), ip), 429);
  });

  it("bad input gets 400 and consumes nothing; a weak new password leaves the token usable", async () => {
    const tenant = await createTenant("reset-bad");
    expectStatus(await call("/api/v1/auth/forgot-password", { body: { email: "not-an-address" }, ip: uniqueIp() }), 400);
    expectStatus(await call("/api/v1/auth/forgot-password", { body: { email: tenant.email, admin: true }, ip: uniqueIp() }), 400);
    expectStatus(await call("/api/v1/auth/reset-password", { body: { token: "pr_x" }, ip: uniqueIp() }), 400);
    expectStatus(await reset("pr_unknown-token"), 400);
    await requestPasswordReset(serviceContext(env), { email: tenant.email, linkBase: LINK_BASE });
    const [message] = await outbox(tenant.email, "password-reset");
    const token = tokenOf(message as OutboxItem, "reset-password");
    const weak = await reset(token, "weakpass");
    expectStatus(weak, 400);
    await login(tenant.email, tenant.password, uniqueIp());
    expectStatus(await reset(token), 200);
  });
});

describe("browser sessions in cookies", () => {
  const cookieValue = (setCookies: string[], name: string) => setCookies.find((c) => c.startsWith(`${name}=`))?.split(";")[0]?.split("=")[1];

  async function cookieLogin(viaHeader = false) {
    const tenant = await createTenant("cookie");
    const response = await call<Record<string, unknown>>("/api/v1/auth/login", {
      body: viaHeader ? { email: tenant.email, password: tenant.password } : { email: tenant.email, password: tenant.password, session: "cookie" },
      headers: viaHeader ? { "X-Session-Mode": "cookie" } : {},
      ip: tenant.ip,
    });
    expectStatus(response, 200);
    const setCookies = response.headers.getSetCookie();
    return { tenant, response, setCookies, refresh: String(cookieValue(setCookies, "__Secure-lp_refresh")), csrf: String(cookieValue(setCookies, "__Secure-lp_csrf")) };
  }
  const withCookies = (refresh: string, csrf: string, extra: Record<string, string> = {}) => ({
    Cookie: `__Secure-lp_refresh=${refresh}; __Secure-lp_csrf=${csrf}`,
    ...extra,
  });

  it("sign-in puts the refresh token in an HttpOnly, Secure, SameSite=Strict cookie on the auth path, not in the body", async () => {
    const { response, setCookies, refresh, csrf } = await cookieLogin();
    expect(response.body).not.toHaveProperty("refresh_token");
    expect(response.body).toMatchObject({ session: "cookie", token_type: "bearer", csrf_token: csrf });
    const refreshCookie = setCookies.find((c) => c.startsWith("__Secure-lp_refresh="));
    expect(refreshCookie).toMatch(/HttpOnly/);
    expect(refreshCookie).toMatch(/Secure/);
    expect(refreshCookie).toMatch(/SameSite=Strict/);
    expect(refreshCookie).toMatch(/Path=\/api\/v1\/auth/);
    const csrfCookie = setCookies.find((c) => c.startsWith("__Secure-lp_csrf="));
    expect(csrfCookie).not.toMatch(/HttpOnly/);
    expect(refresh).toMatch(/^rt_/);
    expectStatus(await me(String(response.body.access_token)), 200);
    expect((await cookieLogin(true)).refresh).toMatch(/^rt_/);
  });

  it("refresh by cookie needs the CSRF header; with it, the cookie rotates and the old one is dead", async () => {
    const { tenant, refresh, csrf } = await cookieLogin();
    const refreshCall = (headers: Record<string, string>) => call<Record<string, unknown>>("/api/v1/auth/refresh", { method: "POST", headers, ip: tenant.ip });
    const missing = await refreshCall(withCookies(refresh, csrf));
    expectStatus(missing, 403);
    expectErrorEnvelope(missing, "FORBIDDEN");
    expectStatus(await refreshCall(withCookies(refresh, csrf, { "X-CSRF-Token": "forged" })), 403);
    expectStatus(await refreshCall(withCookies(refresh, "attacker-set", { "X-CSRF-Token": csrf })), 403);

    const rotated = await refreshCall(withCookies(refresh, csrf, { "X-CSRF-Token": csrf }));
    expectStatus(rotated, 200);
    expect(rotated.body).not.toHaveProperty("refresh_token");
    const next = cookieValue(rotated.headers.getSetCookie(), "__Secure-lp_refresh");
    const nextCsrf = String(rotated.body.csrf_token);
    expect(next).toMatch(/^rt_/);
    expect(next).not.toBe(refresh);
    expectStatus(await me(String(rotated.body.access_token)), 200);
    // Reuse of the rotated cookie is detected like a reused body token.
    expectStatus(await refreshCall(withCookies(refresh, csrf, { "X-CSRF-Token": csrf })), 401);
    expectStatus(await refreshCall(withCookies(String(next), nextCsrf, { "X-CSRF-Token": nextCsrf })), 401);
  });

  it("logout by cookie needs the CSRF header, ends the session and clears the cookies", async () => {
    const { tenant, refresh, csrf, response } = await cookieLogin();
    expectStatus(await call("/api/v1/auth/logout", { method: "POST", headers: withCookies(refresh, csrf), ip: tenant.ip }), 403);
    const out = await call("/api/v1/auth/logout", { method: "POST", headers: withCookies(refresh, csrf, { "X-CSRF-Token": csrf }), ip: tenant.ip });
    expectStatus(out, 200);
    const cleared = out.headers.getSetCookie();
    expect(cleared.find((c) => c.startsWith("__Secure-lp_refresh="))).toMatch(/Max-Age=0/);
    expect(cleared.find((c) => c.startsWith("__Secure-lp_csrf="))).toMatch(/Max-Age=0/);
    expectStatus(await me(String(response.body.access_token)), 401);
    expectStatus(await call("/api/v1/auth/logout", { method: "POST", ip: tenant.ip }), 401);
    // API clients keep sending the token in the body.
    const bearer = await login(tenant.email, tenant.password, tenant.ip);
    const viaBody = await call<Record<string, unknown>>("/api/v1/auth/refresh", { body: { refresh_token: bearer.refresh_token }, ip: tenant.ip });
    expectStatus(viaBody, 200);
    expect(viaBody.body.refresh_token).toMatch(/^rt_/);
    expect(viaBody.headers.getSetCookie()).toEqual([]);
  });
});

describe("e-mail transport over HTTP (Resend) against a fake", () => {
  const fake = new FakeEmailApi();
  const config: AppConfig = { ...loadConfig(env), EMAIL_TRANSPORT: "resend" };
  let now = new Date();
  const ctx = () => serviceContext(env, { now: () => now });
  const transport = () => createEmailTransport(config, env, () => now);
  const message = (to: string) => ({ to, userId: null, kind: "test-notice", ...renderEmail({ subject: "Hello", greeting: "Hi,", paragraphs: ["A secret link follows."], action: { label: "Open", url: "https://app.example.test/x#token=secret-abc" }, footer: "f" }, "en") });
  const row = (id: string) =>
    env.DB.prepare("SELECT status, attempts, next_attempt_at, sealed_content, last_error, provider_message_id FROM email_messages WHERE id = ?")
      .bind(id)
      .first<{ status: string; attempts: number; next_attempt_at: number; sealed_content: string | null; last_error: string | null; provider_message_id: string | null }>();

  beforeEach(() => {
    now = new Date();
    fake.faults.length = 0;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (fake.handles(new URL(request.url))) return fake.handle(request);
      throw new Error(`unexpected fetch ${request.url}`);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it("sends with the Bearer key and the message id as Idempotency-Key; the stored copy is sealed, then dropped", async () => {
    const to = uniqueEmail("resend-ok");
    const sent = await sendEmail(ctx(), message(to), transport());
    expect(sent.status).toBe("sent");
    const delivered = fake.delivered.filter((d) => d.to[0] === to);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ idempotencyKey: sent.id, from: config.EMAIL_FROM, subject: "Hello" });
    expect(delivered[0]?.text).toContain("https://app.example.test/x#token=secret-abc");
    expect(await row(sent.id)).toMatchObject({ status: "sent", attempts: 1, sealed_content: null, provider_message_id: delivered[0]?.id });
  });

  it.each([
    ["500", 60],
    ["429", 7],
    ["timeout", 60],
  ] as const)("a %s keeps the message pending (sealed, due in %i s) and the cron retry delivers it once", async (fault, delaySeconds) => {
    const to = uniqueEmail(`resend-${fault}`);
    fake.faults.push(fault);
    const sent = await sendEmail(ctx(), message(to), transport());
    expect(sent.status).toBe("pending");
    const pending = await row(sent.id);
    expect(pending).toMatchObject({ status: "pending", attempts: 1 });
    expect(pending?.sealed_content).toEqual(expect.any(String));
    expect(pending?.sealed_content).not.toContain("secret-abc");
    expect(pending?.next_attempt_at).toBe(now.getTime() + delaySeconds * 1000);
    expect(pending?.last_error).not.toContain(config.EMAIL_API_KEY);

    // Not yet due: the sweep leaves it alone.
    await deliverDueEmails(ctx(), 50, transport());
    expect((await row(sent.id))?.attempts).toBe(1);
    now = new Date(now.getTime() + delaySeconds * 1000);
    await deliverDueEmails(ctx(), 50, transport());
    expect(await row(sent.id)).toMatchObject({ status: "sent", attempts: 2, sealed_content: null });
    expect(fake.delivered.filter((d) => d.to[0] === to)).toHaveLength(1);
  });

  it("an unreadable 2xx is retried under the same Idempotency-Key: delivered once", async () => {
    const to = uniqueEmail("resend-garbage");
    fake.faults.push("garbage");
    const sent = await sendEmail(ctx(), message(to), transport());
    expect(sent.status).toBe("pending");
    now = new Date(now.getTime() + 60_000);
    await deliverDueEmails(ctx(), 50, transport());
    expect((await row(sent.id))?.status).toBe("sent");
    expect(fake.delivered.filter((d) => d.to[0] === to)).toHaveLength(1);
  });

  it("a permanent refusal fails at once; repeated 5xx give up after EMAIL_MAX_ATTEMPTS; content is dropped either way", async () => {
    fake.faults.push("422");
    const refused = await sendEmail(ctx(), message(uniqueEmail("resend-422")), transport());
    expect(refused.status).toBe("failed");
    expect(await row(refused.id)).toMatchObject({ status: "failed", sealed_content: null, last_error: expect.stringContaining("422") });

    fake.faults.push("500", "500", "500", "500");
    const flaky = await sendEmail(ctx(), message(uniqueEmail("resend-flaky")), transport());
    for (let i = 0; i < 5; i++) {
      now = new Date(now.getTime() + 3_600_000);
      await deliverDueEmails(ctx(), 50, transport());
    }
    expect(await row(flaky.id)).toMatchObject({ status: "failed", attempts: config.EMAIL_MAX_ATTEMPTS, sealed_content: null });
  });

  it("a private or plain-http EMAIL_API_BASE_URL is refused before connecting", async () => {
    const local = createEmailTransport({ ...config, EMAIL_API_BASE_URL: "http://127.0.0.1:9" }, env, () => now);
    const sent = await sendEmail(ctx(), message(uniqueEmail("resend-ssrf")), local);
    expect(sent.status).toBe("failed");
    expect(globalThis.fetch).not.toHaveBeenCalled();
  });
});

describe("the development outbox route", () => {
  it("validates its query and answers 404 in production", async () => {
    expectStatus(await call("/api/v1/dev/outbox?limit=0"), 400);
    expectStatus(await call("/api/v1/dev/outbox?bogus=1"), 400);
    expectStatus(await call("/api/v1/dev/outbox?to=not-an-address"), 400);
    const randomKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
    const production = { ...env, ENVIRONMENT: "production", JWT_SECRET: `prod-${crypto.randomUUID()}-${crypto.randomUUID()}`, ENCRYPTION_KEYS: `k1:${randomKey()}` } as Env;
    const response = await app.request("/api/v1/dev/outbox", {}, production);
    expect(response.status, await response.clone().text()).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    const development = await app.request("/api/v1/dev/outbox?limit=1", {}, { ...production, ENVIRONMENT: "development" } as Env);
    expect(development.status).toBe(200);
  });

  it("lists what sendEmail wrote, newest first, with its links", async () => {
    const to = uniqueEmail("outbox");
    await sendEmail(serviceContext(env), { to, userId: null, kind: "first", ...renderEmail({ subject: "One", greeting: "Hi", paragraphs: [], action: { label: "Go", url: "https://app.example.test/a" }, footer: "f" }, "en") });
    await sendEmail(serviceContext(env), { to, userId: null, kind: "second", ...renderEmail({ subject: "Two", greeting: "Hi", paragraphs: [], footer: "f" }, "en") });
    const items = await outbox(to.toUpperCase());
    expect(items.map((m) => m.kind)).toEqual(["second", "first"]);
    expect(items[1]?.links).toEqual(["https://app.example.test/a"]);
  });
});

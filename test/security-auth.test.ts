import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/lib/config";
import { AppError } from "../src/lib/errors";
import { clientAddress } from "../src/middleware/rate-limit";
import { login as serviceLogin } from "../src/services/auth/auth.service";
import { serviceContext } from "../src/services/context";
import { call, expectErrorEnvelope, expectStatus, uniqueEmail, uniqueIp, type ApiResponse } from "./helpers/api";
import { createTenant, DEFAULT_PASSWORD, login } from "./helpers/tenants";

/**
 * Auth limits that fit a campus (issue 13, class 7): only failures count; an account locks with
 * growing, capped delays; an address has a much higher failure ceiling; a valid refresh is never
 * refused. Test configuration (vitest.config.ts): 7 failures per account before delays start,
 * first delay 30 s, cap 900 s, 8 failures per address per 15 min, 40 registrations per address
 * per hour.
 */
const config = loadConfig(env);
const FREE = config.AUTH_MAX_FAILURES_PER_ACCOUNT;
const BASE = config.AUTH_LOCK_BASE_SECONDS;
const CAP = config.AUTH_LOCK_MAX_SECONDS;
const PER_ADDRESS = config.RATE_LIMIT_AUTH_PER_WINDOW;
const WRONG = "Wrong-Guess-123";

interface Tokens {
  access_token: string;
  refresh_token: string;
}

type ErrorBody = { error: { code: string; message: string; details?: unknown } };

const attemptLogin = (email: string, password: string, ip = uniqueIp()) =>
  call<Tokens & ErrorBody>("/api/v1/auth/login", { body: { email, password }, ip });
const refresh = (refreshToken: string, ip: string) =>
  call<Tokens & ErrorBody>("/api/v1/auth/refresh", { body: { refresh_token: refreshToken }, ip });

function expectLocked(response: ApiResponse<unknown>, maxSeconds = BASE): number {
  expectStatus(response, 429);
  expectErrorEnvelope(response, "RATE_LIMITED");
  const retryAfter = Number(response.headers.get("Retry-After"));
  expect(retryAfter, response.text).toBeGreaterThan(0);
  expect(retryAfter, response.text).toBeLessThanOrEqual(maxSeconds);
  return retryAfter;
}

/** The login service on a clock `offsetMs` ahead of now: lets a lock run out without sleeping. */
const loginLater = (offsetMs: number, email: string, password: string, address = uniqueIp()) =>
  serviceLogin(serviceContext(env, { now: () => new Date(Date.now() + offsetMs) }), { email, password, userAgent: null, clientAddress: address });

async function lockedFor(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code, appError.message).toBe("RATE_LIMITED");
  return Number(appError.headers["Retry-After"]);
}

describe("a campus behind one address", () => {
  it("30 users behind one NAT address register, sign in and refresh; registration stays limited per address", async () => {
    const ip = uniqueIp();
    const emails: string[] = [];
    for (let i = 0; i < 30; i++) {
      const email = uniqueEmail(`campus${i}`);
      emails.push(email);
      expectStatus(await call("/api/v1/auth/register", { body: { email, password: DEFAULT_PASSWORD }, ip }), 201);
    }
    for (const email of emails) {
      const tokens = await login(email, DEFAULT_PASSWORD, ip);
      expectStatus(await refresh(tokens.refresh_token, ip), 200);
    }
    // Registration creates accounts, so every attempt counts (refused ones too), with a generous
    // ceiling per address (40 per hour here).
    for (let i = 30; i < config.AUTH_REGISTRATIONS_PER_IP_PER_HOUR; i++) {
      expectStatus(await call("/api/v1/auth/register", { body: { email: uniqueEmail("campus"), password: "weak" }, ip }), 400);
    }
    const refused = await call("/api/v1/auth/register", { body: { email: uniqueEmail("campus"), password: DEFAULT_PASSWORD }, ip });
    expectLocked(refused, 3_600);
    // Signing in from that address is unaffected.
    await login(emails[0]!, DEFAULT_PASSWORD, ip);
  }, 120_000);

  it("one browser tab doing login → refresh ×20 is never refused", async () => {
    const tenant = await createTenant("tab");
    let token = (await login(tenant.email, tenant.password, tenant.ip)).refresh_token;
    for (let i = 0; i < 20; i++) {
      const rotated = await refresh(token, tenant.ip);
      expectStatus(rotated, 200);
      token = rotated.body.refresh_token;
    }
  });

  it("a valid refresh token is honoured even when its address is past every failure ceiling", async () => {
    const ip = uniqueIp();
    const tenant = await createTenant("refresh-ceiling");
    const tokens = await login(tenant.email, tenant.password, ip);
    for (let i = 0; i < PER_ADDRESS; i++) expectStatus(await attemptLogin(uniqueEmail("spray"), WRONG, ip), 401);
    expectLocked(await attemptLogin(uniqueEmail("spray"), WRONG, ip), config.RATE_LIMIT_AUTH_WINDOW_SECONDS);
    // Invalid refresh tokens count against the address (in their own budget)…
    for (let i = 0; i < PER_ADDRESS; i++) expectStatus(await refresh(`rt_forged-${i}-000000000000000000000000`, ip), 401);
    expectLocked(await refresh("rt_forged-last-000000000000000000000000", ip), config.RATE_LIMIT_AUTH_WINDOW_SECONDS);
    // …but a valid, unrotated token from that very address still works.
    const rotated = await refresh(tokens.refresh_token, ip);
    expectStatus(rotated, 200);
    expectStatus(await refresh(rotated.body.refresh_token, ip), 200);
  });
});

describe("per-account lock with growing delays", () => {
  it(`after ${FREE} wrong passwords even the right one waits; after the delay the owner signs in`, async () => {
    const tenant = await createTenant("locked");
    for (let i = 0; i < FREE; i++) expectStatus(await attemptLogin(tenant.email, WRONG), 401);
    const locked = await attemptLogin(tenant.email, tenant.password);
    const retryAfter = expectLocked(locked);
    expect(locked.body.error.message).toMatch(/failed sign-in attempts/);
    expect(locked.body).not.toHaveProperty("access_token");
    // Still locked a moment before the delay ends, open once it has.
    expect(await lockedFor(loginLater((retryAfter - 2) * 1000, tenant.email, tenant.password))).toBeGreaterThan(0);
    const tokens = await loginLater((retryAfter + 1) * 1000, tenant.email, tenant.password);
    expect(tokens.access_token).toBeTruthy();
    // The success cleared the count: a fresh run of failures is absorbed again.
    for (let i = 0; i < FREE - 1; i++) expectStatus(await attemptLogin(tenant.email, WRONG), 401);
    await login(tenant.email, tenant.password, uniqueIp());
  });

  it("doubles the delay with each further failure, up to the cap, and the lock always ends", async () => {
    const tenant = await createTenant("doubling");
    let offset = 0;
    for (let i = 0; i < FREE; i++) {
      await expect(loginLater(offset, tenant.email, WRONG)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const delay = await lockedFor(loginLater(offset, tenant.email, tenant.password));
      delays.push(delay);
      offset += delay * 1000 + 500;
      await expect(loginLater(offset, tenant.email, WRONG)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    const expected = [0, 1, 2, 3, 4, 5, 6].map((n) => Math.min(BASE * 2 ** n, CAP));
    expect(delays).toEqual(expected);
    expect(Math.max(...delays)).toBe(CAP);
    offset += CAP * 1000 + 500;
    const tokens = await loginLater(offset, tenant.email, tenant.password);
    expect(tokens.access_token).toBeTruthy();
  });

  it("counts parallel guesses exactly: no more than the free failures get a password check", async () => {
    const tenant = await createTenant("parallel");
    // Successful sign-ins spend nothing.
    for (let i = 0; i < 2; i++) await login(tenant.email, tenant.password, uniqueIp());
    const results = await Promise.all(Array.from({ length: 20 }, () => attemptLogin(tenant.email, WRONG)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401), statuses.join(",")).toHaveLength(FREE);
    expect(statuses.filter((s) => s === 429), statuses.join(",")).toHaveLength(20 - FREE);
  });

  it("treats an unknown e-mail exactly like a known one, so a lock reveals nothing", async () => {
    const tenant = await createTenant("known");
    const unknown = uniqueEmail("nobody");
    const answers: Array<Array<{ status: number; message: string }>> = [];
    for (const email of [tenant.email, unknown]) {
      const run: Array<{ status: number; message: string }> = [];
      for (let i = 0; i <= FREE; i++) {
        const response = await attemptLogin(email, WRONG);
        // The Retry-After seconds may tick between the two runs; the wording must not differ.
        run.push({ status: response.status, message: response.body.error.message.replace(/\d+ s$/, "N s") });
      }
      answers.push(run);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]!.at(-1)).toMatchObject({ status: 429 });
  });

  it("a password change by the signed-in owner lifts the lock at once", async () => {
    const tenant = await createTenant("recover");
    for (let i = 0; i < FREE; i++) expectStatus(await attemptLogin(tenant.email, WRONG), 401);
    expectLocked(await attemptLogin(tenant.email, tenant.password));
    const changed = await call("/api/v1/users/me/password", {
      token: tenant.accessToken,
      body: { current_password: tenant.password, new_password: "Recovered-Pass-9" },
    });
    expectStatus(changed, 200);
    await login(tenant.email, "Recovered-Pass-9", uniqueIp());
  });
});

describe("per-address failure ceiling", () => {
  it("successful sign-ins never count; wrong passwords against many accounts hit the ceiling", async () => {
    const ip = uniqueIp();
    const owner = await createTenant("sprayed-owner");
    for (let i = 0; i < 3; i++) await login(owner.email, owner.password, ip);
    // Password spraying: one guess per account, known or not (they are counted alike).
    const victim = await createTenant("sprayed-victim");
    expectStatus(await attemptLogin(victim.email, WRONG, ip), 401);
    for (let i = 1; i < PER_ADDRESS; i++) expectStatus(await attemptLogin(uniqueEmail("sprayed"), WRONG, ip), 401);
    // Past the ceiling the address is refused before any password check, the right one included.
    const refused = await attemptLogin(owner.email, owner.password, ip);
    expectLocked(refused, config.RATE_LIMIT_AUTH_WINDOW_SECONDS);
    expect(refused.body.error.message).toMatch(/from this address/);
    // Each account saw one failure at most, so from anywhere else everyone signs in.
    await login(owner.email, owner.password, uniqueIp());
    await login(victim.email, victim.password, uniqueIp());
  });

  it("keys an IPv6 client by its /64 and an IPv4-mapped address as IPv4", () => {
    const from = (ip: string) => clientAddress({ header: (name) => (name === "CF-Connecting-IP" ? ip : undefined) });
    expect(from("2001:db8:1:2::1")).toBe(from("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"));
    expect(from("2001:db8:1:2::1")).not.toBe(from("2001:db8:1:3::1"));
    expect(from("::ffff:198.51.100.7")).toBe("198.51.100.7");
    expect(from("198.51.100.7")).toBe("198.51.100.7");
    expect(from("x".repeat(500))).toHaveLength(64);
  });
});

describe("changing the e-mail needs the current password", () => {
  const patch = (token: string, body: unknown) => call<Record<string, unknown> & ErrorBody>("/api/v1/users/me", { method: "PATCH", token, body });
  const stored = (id: string) => env.DB.prepare("SELECT email, full_name FROM users WHERE id = ?").bind(id).first();

  it("refuses a missing or wrong current password and changes nothing; the right one changes the e-mail", async () => {
    const tenant = await createTenant("email-change");
    const before = await stored(tenant.userId);
    const newEmail = uniqueEmail("moved");

    const missing = await patch(tenant.accessToken, { email: newEmail, full_name: "Mallory" });
    expectStatus(missing, 400);
    expectErrorEnvelope(missing, "VALIDATION_FAILED");
    expect(missing.body.error.details).toEqual([expect.objectContaining({ path: "current_password" })]);

    const wrong = await patch(tenant.accessToken, { email: newEmail, full_name: "Mallory", current_password: WRONG });
    expectStatus(wrong, 400);
    expect(wrong.body.error.message).toBe("Current password is incorrect");
    expect(await stored(tenant.userId)).toEqual(before);

    // Re-sending the unchanged e-mail with other fields needs no password.
    expectStatus(await patch(tenant.accessToken, { email: tenant.email, timezone: "Europe/Moscow" }), 200);

    const moved = await patch(tenant.accessToken, { email: newEmail, current_password: tenant.password });
    expectStatus(moved, 200);
    expect(moved.body).toMatchObject({ email: tenant.email, pending_email: newEmail });
    await login(tenant.email, tenant.password, uniqueIp());
  });

  it("a stolen access token is no password oracle: repeated wrong current passwords lock re-verification", async () => {
    const tenant = await createTenant("oracle");
    const change = (current_password: string) =>
      call("/api/v1/users/me/password", { token: tenant.accessToken, body: { current_password, new_password: "Brand-New-Pass-1" } });
    for (let i = 0; i < FREE; i++) expectStatus(await change(`${WRONG}${i}`), 400);
    expectLocked(await change(tenant.password));
    expectLocked(await patch(tenant.accessToken, { email: uniqueEmail("stolen"), current_password: tenant.password }));
    // Guessing in the settings does not lock the owner out of signing in.
    await login(tenant.email, tenant.password, uniqueIp());
  });
});

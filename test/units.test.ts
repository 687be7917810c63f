import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RateLimiter } from "../src/durable/rate-limiter";
import { retryDelaySeconds } from "../src/lib/backoff";
import { enforceRateLimit } from "../src/services/rate-limit";
import { ConfigError, loadConfig } from "../src/lib/config";
import { ulid, ULID_PATTERN } from "../src/lib/ids";
import { signJwt, verifyJwt } from "../src/lib/jwt";
import { hashPassword, verifyPassword } from "../src/lib/password";

describe("passwords (PBKDF2-SHA256)", () => {
  it("verifies the right password, rejects others, and salts every hash", async () => {
    const hash = await hashPassword("Correct-Horse-1", 100_000);
    expect(hash).toMatch(/^pbkdf2_sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword("Correct-Horse-1", hash)).toBe(true);
    expect(await verifyPassword("correct-horse-1", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
    expect(await hashPassword("Correct-Horse-1", 100_000)).not.toBe(hash);
  });

  it("treats a corrupt stored hash as a mismatch, never an exception", async () => {
    for (const stored of ["", "bcrypt$12$abc", "pbkdf2_sha256$x$y$z", "pbkdf2_sha256$1000$$"]) {
      expect(await verifyPassword("anything", stored)).toBe(false);
    }
  });
});

describe("JWT (HS256)", () => {
  const secret = "unit-test-secret-0123456789-0123456789";
  it("round-trips claims and enforces expiry and signature", async () => {
    const token = await signJwt({ sub: "u1", iat: 1000, exp: 2000, typ: "access" }, secret);
    expect(await verifyJwt(token, secret, 1500)).toMatchObject({ sub: "u1", typ: "access" });
    expect(await verifyJwt(token, secret, 2000)).toBeNull();
    expect(await verifyJwt(token, `${secret}x`, 1500)).toBeNull();
    const [h, p, s] = token.split(".");
    expect(await verifyJwt(`${h}.${p}.${s?.slice(0, -2)}AA`, secret, 1500)).toBeNull();
    expect(await verifyJwt(`${h}.%%%.${s}`, secret, 1500)).toBeNull();
    expect(await verifyJwt("a.b", secret, 1500)).toBeNull();
  });
});

describe("ids", () => {
  it("generates sortable, unique ULIDs", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => ulid(1_700_000_000_000 + i));
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(ULID_PATTERN);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("rate limiter (GCRA in a Durable Object)", () => {
  const stubFor = (key: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));

  it("admits a burst up to the limit, then refills one slot per interval", async () => {
    const stub = stubFor("unit:burst");
    const t0 = 1_800_000_000_000;
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await stub.consume(5, 60_000, t0));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions[5]?.retryAfterSeconds).toBe(12); // one slot per 60 s / 5
    expect((await stub.consume(5, 60_000, t0 + 11_000)).allowed).toBe(false);
    expect((await stub.consume(5, 60_000, t0 + 12_000)).allowed).toBe(true);
    expect((await stub.consume(5, 60_000, t0 + 12_000)).allowed).toBe(false);
    // After a full period of silence the whole burst is available again.
    expect((await stub.consume(5, 60_000, t0 + 200_000)).remaining).toBe(4);
  });

  it("serializes concurrent callers: exactly `limit` of 50 parallel requests pass", async () => {
    const stub = stubFor("unit:parallel");
    const now = 1_800_000_000_000;
    const decisions = await Promise.all(Array.from({ length: 50 }, () => stub.consume(20, 3_600_000, now)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
  });

  it("counts failures from callers whose clocks arrive out of order without locking on a free failure", async () => {
    const stub = stubFor("unit:attempts-out-of-order");
    const policy = { freeFailures: 3, baseDelayMs: 1_000, maxDelayMs: 60_000, forgetAfterMs: 900_000 };
    const t0 = 1_800_000_000_000;
    // Parallel sign-ins started at t0+5, t0+3, t0+4 reach the object in this order: all admitted; the
    // last free one starts the lock.
    const free = [await stub.beginAttempt(policy, t0 + 5), await stub.beginAttempt(policy, t0 + 3), await stub.beginAttempt(policy, t0 + 4)];
    expect(free.map((d) => [d.allowed, d.failures])).toEqual([[true, 1], [true, 2], [true, 3]]);
    expect(await stub.beginAttempt(policy, t0 + 6)).toMatchObject({ allowed: false, failures: 3, retryAfterSeconds: 1 });
    expect(await stub.beginAttempt(policy, t0 + 4 + 1_000)).toMatchObject({ allowed: true, failures: 4 });
  });

  it("keeps its state in one row, wipes it once replenished, and keeps working after the wipe", async () => {
    const busy = stubFor("unit:storage-busy");
    await busy.consume(3, 60_000);
    await runInDurableObject(busy, async (_instance: RateLimiter, state) => {
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM gcra").one().n).toBe(1);
      expect(await state.storage.getAlarm()).not.toBeNull();
    });

    const idle = stubFor("unit:storage-idle");
    await idle.consume(3, 1_000, Date.now() - 10_000); // already replenished: its alarm fires at once
    let rows = 1;
    for (let i = 0; i < 100 && rows > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      rows = await runInDurableObject(idle, (_instance: RateLimiter, state) =>
        Number(state.storage.sql.exec("SELECT COUNT(*) AS n FROM gcra").one().n),
      );
    }
    expect(rows).toBe(0);
    // Regression: the same live instance must recreate its table after the wipe.
    expect((await idle.consume(3, 1_000)).allowed).toBe(true);
  });
});

describe("rate limit enforcement", () => {
  it("fails open when the limiter is unreachable, and reports it", async () => {
    const broken = {
      idFromName: (name: string) => name,
      get: () => ({ consume: () => Promise.reject(new Error("Durable Object overloaded")) }),
    } as unknown as Env["RATE_LIMITER"];
    const decision = await enforceRateLimit(broken, { key: "k", limit: 5, periodSeconds: 60 });
    expect(decision.allowed).toBe(true);
  });
});

describe("queue backoff", () => {
  it("grows exponentially with jitter and is capped", () => {
    expect(retryDelaySeconds(1, () => 0)).toBe(5);
    expect(retryDelaySeconds(1, () => 1)).toBe(10);
    expect(retryDelaySeconds(3, () => 1)).toBe(40);
    expect(retryDelaySeconds(30, () => 1)).toBe(900);
    expect(retryDelaySeconds(30, () => 0)).toBe(450);
  });
});

describe("configuration", () => {
  it("applies defaults and refuses a short JWT secret with a readable message", () => {
    const config = loadConfig({ JWT_SECRET: "x".repeat(32) });
    expect(config).toMatchObject({ ACCESS_TOKEN_TTL_SECONDS: 900, RATE_LIMIT_ENABLED: true, LOG_FORMAT: "json" });
    expect(() => loadConfig({ JWT_SECRET: "short" })).toThrow(ConfigError);
    expect(() => loadConfig({ JWT_SECRET: "x".repeat(32), LOG_FORMAT: "xml" })).toThrow(/LOG_FORMAT/);
    expect(() => loadConfig({ JWT_SECRET: "x".repeat(32), PASSWORD_PBKDF2_ITERATIONS: "200000" })).toThrow(
      /PASSWORD_PBKDF2_ITERATIONS/,
    );
  });
});

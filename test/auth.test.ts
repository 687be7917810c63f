import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { forgetUser } from "../src/db/session-user-cache";
import { bytesToBase64Url, utf8 } from "../src/lib/encoding";
import { signJwt } from "../src/lib/jwt";
import { call, expectStatus, uniqueEmail, uniqueIp } from "./helpers/api";
import { countRows, createTenant, createTwoTenants, DEFAULT_PASSWORD, expectTenantIsolation, login } from "./helpers/tenants";

interface Tokens {
  access_token: string;
  refresh_token: string;
}

const refresh = (refreshToken: string, ip: string) =>
  call<Tokens>("/api/v1/auth/refresh", { body: { refresh_token: refreshToken }, ip });
const me = (token: string, ip = "203.0.113.9") => call<Record<string, unknown>>("/api/v1/users/me", { token, ip });

describe("registration", () => {
  it("creates a user with a config row and a free subscription, email lower-cased", async () => {
    const email = uniqueEmail("Reg").replace("reg", "REG");
    const response = await call<Record<string, unknown>>("/api/v1/auth/register", {
      body: { email, password: DEFAULT_PASSWORD, full_name: "Ada Lovelace" },
      ip: uniqueIp(),
    });
    expectStatus(response, 201);
    expect(response.body).toMatchObject({ email: email.toLowerCase(), full_name: "Ada Lovelace", role: "user", is_active: true });
    expect(response.body.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(response.body).not.toHaveProperty("password_hash");
    const id = String(response.body.id);
    expect(await countRows("user_configs", "user_id = ?", id)).toBe(1);
    const plan = await env.DB.prepare(
      "SELECT p.name FROM user_subscriptions s JOIN subscription_plans p ON p.id = s.plan_id WHERE s.user_id = ?",
    )
      .bind(id)
      .first<{ name: string }>();
    expect(plan?.name).toBe("free");
    const stored = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(id).first<{ password_hash: string }>();
    expect(stored?.password_hash).toMatch(/^pbkdf2_sha256\$100000\$/);
  });

  it("answers a duplicate email, whatever its case, like a new one (no enumeration) and stores nothing", async () => {
    const email = uniqueEmail("dup");
    const ip = uniqueIp();
    expectStatus(await call("/api/v1/auth/register", { body: { email, password: DEFAULT_PASSWORD }, ip }), 201);
    const again = await call("/api/v1/auth/register", { body: { email: email.toUpperCase(), password: DEFAULT_PASSWORD }, ip });
    expectStatus(again, 201);
    expect(await countRows("users", "email = ?", email)).toBe(1);
  });

  it.each([
    ["short", "Ab1"],
    ["no digit", "NoDigitsHere"],
    ["no uppercase", "lowercase123"],
  ])("rejects a weak password (%s) with field details and stores nothing", async (_label, password) => {
    const email = uniqueEmail("weak");
    const response = await call<{ error: { details: Array<{ path: string }> } }>("/api/v1/auth/register", {
      body: { email, password },
      ip: uniqueIp(),
    });
    expectStatus(response, 400);
    expect(response.body.error.details.map((d) => d.path)).toContain("password");
    expect(await countRows("users", "email = ?", email)).toBe(0);
  });

  it("makes the bootstrap admin e-mail an admin only while no admin exists", async () => {
    const first = await call<{ role: string }>("/api/v1/auth/register", {
      body: { email: "first-admin@example.test", password: DEFAULT_PASSWORD },
      ip: uniqueIp(),
    });
    expectStatus(first, 201);
    expect(first.body.role).toBe("admin");
    expect(await countRows("users", "role = 'admin'")).toBe(1);
  });
});

describe("login", () => {
  it("returns a token pair that authenticates and records last_login_at", async () => {
    const tenant = await createTenant("login");
    const response = await me(tenant.accessToken);
    expectStatus(response, 200);
    expect(response.body).toMatchObject({ id: tenant.userId, email: tenant.email });
    expect(response.body.last_login_at).not.toBeNull();
  });

  it("gives the same 401 for a wrong password and for an unknown email", async () => {
    const tenant = await createTenant("wrongpw");
    const wrong = await call<{ error: { message: string; code: string } }>("/api/v1/auth/login", {
      body: { email: tenant.email, password: "Wrong-password-1" },
      ip: uniqueIp(),
    });
    const unknown = await call<{ error: { message: string; code: string } }>("/api/v1/auth/login", {
      body: { email: uniqueEmail("nobody"), password: "Wrong-password-1" },
      ip: uniqueIp(),
    });
    expectStatus(wrong, 401);
    expectStatus(unknown, 401);
    expect(wrong.body.error.message).toBe("Incorrect email or password");
    expect(unknown.body.error).toMatchObject({ code: wrong.body.error.code, message: wrong.body.error.message });
  });

  it("refuses a deactivated account with 403, and its live tokens too", async () => {
    const tenant = await createTenant("inactive");
    await env.DB.prepare("UPDATE users SET is_active = 0 WHERE id = ?").bind(tenant.userId).run();
    forgetUser(tenant.userId); // as every isolate does within SESSION_USER_TTL_MS (edge-performance.test.ts)
    expectStatus(await call("/api/v1/auth/login", { body: { email: tenant.email, password: tenant.password }, ip: uniqueIp() }), 403);
    expectStatus(await me(tenant.accessToken), 403);
  });
});

describe("access tokens", () => {
  it("rejects expired, tampered, unsigned and malformed tokens with 401 + WWW-Authenticate", async () => {
    const tenant = await createTenant("jwt");
    const session = await env.DB.prepare("SELECT id FROM sessions WHERE user_id = ?").bind(tenant.userId).first<{ id: string }>();
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: tenant.userId, sid: session?.id, role: "user", typ: "access" };
    const expired = await signJwt({ ...claims, iat: now - 7200, exp: now - 3600 }, env.JWT_SECRET);
    const otherKey = await signJwt({ ...claims, iat: now, exp: now + 600 }, "another-secret-0123456789-0123456789");
    const adminClaim = await signJwt({ ...claims, role: "admin", iat: now, exp: now + 600 }, "x".repeat(40));
    const [, payload] = tenant.accessToken.split(".");
    const unsigned = `${bytesToBase64Url(utf8.encode('{"alg":"none","typ":"JWT"}'))}.${payload}.`;
    for (const token of [expired, otherKey, adminClaim, unsigned, "not-a-jwt", `${tenant.accessToken}x`]) {
      const response = await me(token);
      expectStatus(response, 401);
      expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
    }
    expectStatus(await call("/api/v1/users/me", { headers: { Authorization: "Basic abc" } }), 401);
  });
});

describe("refresh token rotation", () => {
  it("rotates: the new pair works and the old refresh token is single-use", async () => {
    const tenant = await createTenant("rotate");
    const first = await refresh(tenant.refreshToken, tenant.ip);
    expectStatus(first, 200);
    expect(first.body.refresh_token).not.toBe(tenant.refreshToken);
    expectStatus(await me(first.body.access_token), 200);
    const second = await refresh(first.body.refresh_token, tenant.ip);
    expectStatus(second, 200);
    expect(await countRows("refresh_tokens", "user_id = ?", tenant.userId)).toBe(3);
  });

  it("detects reuse of a rotated token and revokes the whole session family", async () => {
    const tenant = await createTenant("reuse");
    const rotated = await refresh(tenant.refreshToken, tenant.ip);
    expectStatus(rotated, 200);
    // An attacker replays the original token…
    const replay = await refresh(tenant.refreshToken, tenant.ip);
    expectStatus(replay, 401);
    // …so the legitimate successor and every access token of that session die with it.
    expectStatus(await refresh(rotated.body.refresh_token, tenant.ip), 401);
    expectStatus(await me(rotated.body.access_token), 401);
    expectStatus(await me(tenant.accessToken), 401);
    const session = await env.DB.prepare("SELECT revoked_reason FROM sessions WHERE user_id = ?")
      .bind(tenant.userId)
      .first<{ revoked_reason: string }>();
    expect(session?.revoked_reason).toBe("refresh_token_reuse");
  });

  it("lets exactly one of two concurrent refreshes with the same token win", async () => {
    const tenant = await createTenant("race");
    const results = await Promise.all([refresh(tenant.refreshToken, tenant.ip), refresh(tenant.refreshToken, tenant.ip)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it("keeps other sessions alive when one family is revoked", async () => {
    const tenant = await createTenant("families");
    const laptop = await login(tenant.email, tenant.password, tenant.ip);
    await refresh(tenant.refreshToken, tenant.ip);
    await refresh(tenant.refreshToken, tenant.ip); // reuse → revokes only the first session
    expectStatus(await me(laptop.access_token), 200);
    expectStatus(await refresh(laptop.refresh_token, tenant.ip), 200);
  });

  it("rejects unknown and malformed refresh tokens", async () => {
    const ip = uniqueIp();
    expectStatus(await refresh("rt_unknown-token-value-000000000000000", ip), 401);
    expectStatus(await call("/api/v1/auth/refresh", { body: { refresh_token: "" }, ip }), 400);
    expectStatus(await call("/api/v1/auth/refresh", { body: { refresh_token: 42 }, ip }), 400);
  });
});

describe("logout and sessions", () => {
  it("logout ends the session: its refresh and access tokens stop working; repeats are harmless", async () => {
    const tenant = await createTenant("logout");
    const body = { refresh_token: tenant.refreshToken };
    expectStatus(await call("/api/v1/auth/logout", { body, ip: tenant.ip }), 200);
    expectStatus(await call("/api/v1/auth/logout", { body, ip: tenant.ip }), 200);
    expectStatus(await refresh(tenant.refreshToken, tenant.ip), 401);
    expectStatus(await me(tenant.accessToken), 401);
  });

  it("logout-all revokes every session of the caller only", async () => {
    const { a, b } = await createTwoTenants();
    const second = await login(a.email, a.password, a.ip);
    const response = await call<{ revoked_sessions: number }>("/api/v1/auth/logout-all", { method: "POST", token: a.accessToken });
    expectStatus(response, 200);
    expect(response.body.revoked_sessions).toBe(2);
    expectStatus(await me(second.access_token), 401);
    expectStatus(await me(b.accessToken), 200);
  });

  it("lists the caller's sessions and revokes one; another tenant's session id is a 404", async () => {
    const tenants = await createTwoTenants();
    const { a } = tenants;
    const phone = await login(a.email, a.password, a.ip);
    const listed = await call<{ items: Array<{ id: string; current: boolean }> }>("/api/v1/auth/sessions", { token: a.accessToken });
    expectStatus(listed, 200);
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.items.filter((s) => s.current)).toHaveLength(1);
    const other = listed.body.items.find((s) => !s.current);
    if (!other) throw new Error("no second session listed");

    await expectTenantIsolation({ path: `/api/v1/auth/sessions/${other.id}`, method: "DELETE" }, tenants, 200);
    expectStatus(await me(phone.access_token), 401);
    expectStatus(await me(a.accessToken), 200);
    expectStatus(await call(`/api/v1/auth/sessions/${other.id}`, { method: "DELETE", token: a.accessToken }), 404);
    expectStatus(await call("/api/v1/auth/sessions/not-a-ulid", { method: "DELETE", token: a.accessToken }), 400);
  });
});

describe("profile", () => {
  it("updates name and time zone; an email change (with the current password) resets verification", async () => {
    const tenant = await createTenant("profile");
    await env.DB.prepare("UPDATE users SET is_verified = 1 WHERE id = ?").bind(tenant.userId).run();
    const patched = await call<Record<string, unknown>>("/api/v1/users/me", {
      method: "PATCH",
      token: tenant.accessToken,
      body: { full_name: "Grace Hopper", timezone: "Europe/Moscow" },
    });
    expectStatus(patched, 200);
    expect(patched.body).toMatchObject({ full_name: "Grace Hopper", timezone: "Europe/Moscow", is_verified: true });
    const newEmail = uniqueEmail("moved");
    const moved = await call<Record<string, unknown>>("/api/v1/users/me", {
      method: "PATCH",
      token: tenant.accessToken,
      body: { email: newEmail.toUpperCase(), current_password: tenant.password },
    });
    expectStatus(moved, 200);
    // The new address waits for its verification link (test/accounts-recovery.test.ts).
    expect(moved.body).toMatchObject({ email: tenant.email, pending_email: newEmail, is_verified: true });
    await login(tenant.email, tenant.password, tenant.ip);
  });

  it("rejects a taken email (409), bad fields (400) and unknown fields (400) without changes", async () => {
    const { a, b } = await createTwoTenants();
    const patch = (body: unknown) => call("/api/v1/users/me", { method: "PATCH", token: a.accessToken, body });
    expectStatus(await patch({ email: b.email, current_password: a.password }), 409);
    expectStatus(await patch({ timezone: "Mars/Olympus_Mons" }), 400);
    expectStatus(await patch({}), 400);
    expectStatus(await patch({ role: "admin" }), 400);
    expectStatus(await patch({ full_name: 12 }), 400);
    const row = await env.DB.prepare("SELECT email, role, timezone FROM users WHERE id = ?").bind(a.userId).first();
    expect(row).toEqual({ email: a.email, role: "user", timezone: "UTC" });
  });
});

describe("password change", () => {
  it("changes the password and revokes the other sessions but not the current one", async () => {
    const tenant = await createTenant("pwchange");
    const other = await login(tenant.email, tenant.password, tenant.ip);
    const newPassword = "Another-Pass-42";
    const response = await call<{ revoked_sessions: number }>("/api/v1/users/me/password", {
      token: tenant.accessToken,
      body: { current_password: tenant.password, new_password: newPassword },
    });
    expectStatus(response, 200);
    expect(response.body.revoked_sessions).toBe(1);
    expectStatus(await me(other.access_token), 401);
    expectStatus(await refresh(other.refresh_token, tenant.ip), 401);
    expectStatus(await me(tenant.accessToken), 200);
    expectStatus(await call("/api/v1/auth/login", { body: { email: tenant.email, password: tenant.password }, ip: uniqueIp() }), 401);
    await login(tenant.email, newPassword, uniqueIp());
  });

  it("rejects a wrong current password, a reused password and a weak new one", async () => {
    const tenant = await createTenant("pwbad");
    const change = (current_password: string, new_password: string) =>
      call("/api/v1/users/me/password", { token: tenant.accessToken, body: { current_password, new_password } });
    expectStatus(await change("Wrong-Pass-1", "Brand-New-1"), 400);
    expectStatus(await change(tenant.password, tenant.password), 400);
    expectStatus(await change(tenant.password, "weak"), 400);
    await login(tenant.email, tenant.password, tenant.ip);
  });
});

describe("account deletion", () => {
  it("requires the password and the word DELETE", async () => {
    const tenant = await createTenant("delbad");
    const remove = (body: unknown) => call("/api/v1/users/me", { method: "DELETE", token: tenant.accessToken, body });
    expectStatus(await remove({ password: tenant.password, confirmation: "delete" }), 400);
    expectStatus(await remove({ password: "Wrong-Pass-1", confirmation: "DELETE" }), 400);
    expectStatus(await remove({}), 400);
    expectStatus(await me(tenant.accessToken), 200);
  });

  it("signs out at once, then removes every stored object and every row of the tenant", async () => {
    const { a, b } = await createTwoTenants();
    for (let i = 0; i < 30; i++) await env.MEDIA.put(`users/${a.userId}/recordings/r${i}/source.mp4`, `video ${i}`);
    await env.MEDIA.put(`users/${b.userId}/recordings/keep/source.mp4`, "other tenant");

    const response = await call("/api/v1/users/me", {
      method: "DELETE",
      token: a.accessToken,
      body: { password: a.password, confirmation: "DELETE" },
    });
    expectStatus(response, 202);
    expectStatus(await me(a.accessToken), 401);
    expectStatus(await call("/api/v1/auth/login", { body: { email: a.email, password: a.password }, ip: uniqueIp() }), 401);

    // The real queue consumer runs in the background; wait for the purge to finish.
    for (let i = 0; i < 100 && (await countRows("users", "id = ?", a.userId)) > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await countRows("users", "id = ?", a.userId)).toBe(0);
    expect(await countRows("sessions", "user_id = ?", a.userId)).toBe(0);
    expect(await countRows("user_subscriptions", "user_id = ?", a.userId)).toBe(0);
    expect((await env.MEDIA.list({ prefix: `users/${a.userId}/` })).objects).toHaveLength(0);
    expect(await env.MEDIA.head(`users/${b.userId}/recordings/keep/source.mp4`)).not.toBeNull();
    expectStatus(await me(b.accessToken), 200);
  });
});

describe("admin", () => {
  async function adminToken(): Promise<string> {
    // The bootstrap admin (BOOTSTRAP_ADMIN_EMAIL); another test of this file may have registered it already.
    await call("/api/v1/auth/register", { body: { email: "first-admin@example.test", password: DEFAULT_PASSWORD }, ip: uniqueIp() });
    return (await login("first-admin@example.test", DEFAULT_PASSWORD, uniqueIp())).access_token;
  }

  it("lists and shows users with plan and usage, changes plan and overrides, deactivates and reactivates — all audited", async () => {
    const token = await adminToken();
    const user = await createTenant("admin-target");
    expectStatus(await call("/api/v1/admin/users", { token: user.accessToken }), 403);
    expectStatus(await call("/api/v1/admin/users"), 401);

    const list = await call<{ total_count: number; users: Array<{ user_id: string; plan_name: string | null }> }>(`/api/v1/admin/users?search=admin-target`, { token });
    expectStatus(list, 200);
    expect(list.body.users.find((u) => u.user_id === user.userId)?.plan_name).toBe("free");
    const detail = await call<{ usage: { storage_bytes: number }; overrides: Record<string, number | null> }>(`/api/v1/admin/users/${user.userId}`, { token });
    expect(detail.body).toMatchObject({ usage: { storage_bytes: 0, active_runs: 0 }, overrides: { custom_max_concurrent_tasks: null } });
    expectStatus(await call("/api/v1/admin/users/01JDNOBODY0000000000000000", { token }), 404);

    const changed = await call<{ plan_name: string; overrides: Record<string, number | null> }>(`/api/v1/admin/users/${user.userId}/subscription`, {
      method: "PATCH",
      token,
      body: { plan_name: "pro", custom_max_concurrent_tasks: 0 },
    });
    expectStatus(changed, 200);
    expect(changed.body).toMatchObject({ plan_name: "pro", overrides: { custom_max_concurrent_tasks: 0 } }); // 0 means none, not "the plan's"
    expectStatus(await call(`/api/v1/admin/users/${user.userId}/subscription`, { method: "PATCH", token, body: { plan_name: "platinum" } }), 400);
    expectStatus(await call(`/api/v1/admin/users/${user.userId}/subscription`, { method: "PATCH", token, body: {} }), 400);

    const deactivated = await call<{ is_active: boolean }>(`/api/v1/admin/users/${user.userId}/deactivate`, { method: "POST", token });
    expect(deactivated.body.is_active).toBe(false);
    expectStatus(await call("/api/v1/users/me", { token: user.accessToken }), 401); // signed out everywhere
    const refused = await call("/api/v1/auth/login", { body: { email: user.email, password: DEFAULT_PASSWORD }, ip: uniqueIp() });
    expectStatus(refused, 403);
    expectStatus(await call(`/api/v1/admin/users/${user.userId}/reactivate`, { method: "POST", token }), 200);
    expectStatus(await call("/api/v1/auth/login", { body: { email: user.email, password: DEFAULT_PASSWORD }, ip: uniqueIp() }), 200);

    const audit = await call<{ items: Array<{ action: string; details: { change?: unknown } }> }>(`/api/v1/admin/audit-log?target_user_id=${user.userId}`, { token });
    expect(audit.body.items.map((i) => i.action)).toEqual(["user.reactivated", "user.deactivated", "subscription.changed"]);
    const overview = await call<{ total_users: number; users_by_plan: Record<string, number> }>("/api/v1/admin/stats/overview", { token });
    expect(overview.body.total_users).toBeGreaterThanOrEqual(2);
    expect(overview.body.users_by_plan.pro).toBeGreaterThanOrEqual(1);
  });
});

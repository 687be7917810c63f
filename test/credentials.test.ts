import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { secretBox } from "../src/lib/secret-box";
import { call, expectStatus, uniqueIp } from "./helpers/api";
import { countRows, createTenant, createTwoTenants, DEFAULT_PASSWORD, expectTenantIsolation, login } from "./helpers/tenants";

const S2S = { account_id: "AbCdEfGhIj", client_id: "clientId123", client_secret: "super-secret-value-42", webhook_secret_token: "whsec-abcdef" };
const [NEW_KEY, OLD_KEY] = env.ENCRYPTION_KEYS!.split(",") as [string, string];

interface Credential {
  id: number;
  platform: string;
  hint: string;
  account_name: string | null;
}

const stored = (id: number) =>
  env.DB.prepare("SELECT encrypted_data, key_id FROM user_credentials WHERE id = ?").bind(id).first<{ encrypted_data: string; key_id: string }>();

describe("credentials", () => {
  it("stores secrets sealed with the newest key and only ever shows a masked hint", async () => {
    const t = await createTenant("cred");
    const created = await call<Credential>("/api/v1/credentials", {
      token: t.accessToken,
      body: { platform: "zoom", account_name: "Dept Zoom", credentials: S2S },
    });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({ platform: "zoom", account_name: "Dept Zoom", hint: "••••d123" });
    const row = await stored(created.body.id);
    expect(row?.key_id).toBe("t2");
    expect(row?.encrypted_data).not.toContain("super-secret");
    const box = await secretBox(env.ENCRYPTION_KEYS!);
    expect(JSON.parse(await box.open(row!.encrypted_data))).toEqual(S2S);
    const listed = await call("/api/v1/credentials?platform=zoom", { token: t.accessToken });
    const one = await call(`/api/v1/credentials/${created.body.id}`, { token: t.accessToken });
    for (const response of [created, listed, one]) {
      for (const secret of [S2S.client_secret, S2S.webhook_secret_token, S2S.account_id]) expect(response.text).not.toContain(secret);
    }
  });

  it("validates each platform's payload (400, nothing stored) and refuses a duplicate account (409)", async () => {
    const t = await createTenant("credbad");
    const create = (body: unknown) => call<{ error: { details: Array<{ path: string }> } }>("/api/v1/credentials", { token: t.accessToken, body });
    const missing = await create({ platform: "zoom", credentials: { account_id: "AbCdEfGhIj", client_id: "clientId123" } });
    expectStatus(missing, 400);
    expectStatus(await create({ platform: "openai", credentials: { api_key: "short" } }), 400);
    expectStatus(await create({ platform: "openai", credentials: { api_key: "sk-0123456789abcdef", base_url: "http://insecure.example" } }), 400);
    expectStatus(await create({ platform: "dropbox", credentials: {} }), 400);
    expectStatus(await create({ platform: "vk", credentials: { access_token: "vk1.a.token-value", extra: true } }), 400);
    expect(await countRows("user_credentials", "user_id = ?", t.userId)).toBe(0);
    expectStatus(await create({ platform: "zoom", credentials: S2S }), 201);
    expectStatus(await create({ platform: "zoom", credentials: { ...S2S, client_secret: "rotated-secret-value-99" } }), 409);
    expectStatus(await create({ platform: "openai", credentials: { api_key: "sk-0123456789abcdef" } }), 201);
  });

  it("replaces secrets on PATCH with the same validation, and keeps credentials tenant-private", async () => {
    const tenants = await createTwoTenants();
    const { a } = tenants;
    const created = await call<Credential>("/api/v1/credentials", { token: a.accessToken, body: { platform: "yandex_disk", credentials: { oauth_token: "y0_token-1111" } } });
    const id = created.body.id;
    const patched = await call<Credential>(`/api/v1/credentials/${id}`, {
      method: "PATCH",
      token: a.accessToken,
      body: { credentials: { oauth_token: "y0_token-2222" }, account_name: "disk" },
    });
    expect(patched.body).toMatchObject({ hint: "••••2222", account_name: "disk" });
    const before = (await stored(id))?.encrypted_data;
    expectStatus(await call(`/api/v1/credentials/${id}`, { method: "PATCH", token: a.accessToken, body: { credentials: { oauth_token: "x" } } }), 400);
    expect((await stored(id))?.encrypted_data).toBe(before);
    await expectTenantIsolation({ path: `/api/v1/credentials/${id}` }, tenants, 200);
    await expectTenantIsolation({ path: `/api/v1/credentials/${id}`, method: "PATCH", body: { is_active: false } }, tenants);
    // B cannot attach A's credential to its own source either.
    expectStatus(await call("/api/v1/sources", { token: tenants.b.accessToken, body: { name: "Steal", platform: "ZOOM", credential_id: id } }), 404);
    await expectTenantIsolation({ path: `/api/v1/credentials/${id}`, method: "DELETE" }, tenants, 204);
  });
});

describe("key rotation", () => {
  it("re-seals old-key credentials with the newest key (admin only), reporting rows no key can open", async () => {
    const adminRegistration = await call<{ role: string }>("/api/v1/auth/register", {
      body: { email: "first-admin@example.test", password: DEFAULT_PASSWORD },
      ip: uniqueIp(),
    });
    expect(adminRegistration.body.role).toBe("admin");
    const admin = await login("first-admin@example.test", DEFAULT_PASSWORD, uniqueIp());
    const user = await createTenant("rotation");

    const oldBox = await secretBox(OLD_KEY);
    const now = Date.now();
    const insert = async (sealed: string, keyId: string, n: number) =>
      env.DB.prepare(
        `INSERT INTO user_credentials (user_id, platform, encrypted_data, key_id, fingerprint, hint, created_at, updated_at)
         VALUES (?, 'openai', ?, ?, ?, '••••test', ?, ?)`,
      )
        .bind(user.userId, sealed, keyId, `rotation-${n}`, now, now)
        .run();
    for (let n = 0; n < 3; n++) await insert(await oldBox.seal(JSON.stringify({ api_key: `sk-old-key-${n}` })), "t1", n);
    const retired = await secretBox("gone:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
    await insert(await retired.seal("{}"), "gone", 9);

    expectStatus(await call("/api/v1/admin/credentials/reencrypt", { method: "POST", token: user.accessToken }), 403);
    const first = await call<{ resealed: number; remaining: number }>("/api/v1/admin/credentials/reencrypt?limit=2", { method: "POST", token: admin.access_token });
    expectStatus(first, 200);
    expect(first.body.resealed).toBe(2);
    const second = await call<{ resealed: number; remaining: number }>("/api/v1/admin/credentials/reencrypt", { method: "POST", token: admin.access_token });
    expect(second.body).toEqual({ resealed: 1, remaining: 1 }); // the "gone" row is kept and reported
    const rows = await env.DB.prepare("SELECT encrypted_data, key_id FROM user_credentials WHERE user_id = ? AND key_id = ?")
      .bind(user.userId, NEW_KEY.split(":")[0])
      .all<{ encrypted_data: string }>();
    const box = await secretBox(env.ENCRYPTION_KEYS!);
    const keys = await Promise.all(rows.results.map(async (r) => JSON.parse(await box.open(r.encrypted_data)).api_key));
    expect(keys.sort()).toEqual(["sk-old-key-0", "sk-old-key-1", "sk-old-key-2"]);
  });

  it("detects tampering and unknown keys", async () => {
    const box = await secretBox(env.ENCRYPTION_KEYS!);
    const sealed = await box.seal("hello");
    const [kid, iv, data] = sealed.split(".");
    const flipped = `${kid}.${iv}.${data!.slice(0, -2)}${data!.endsWith("A") ? "B" : "A"}A`;
    await expect(box.open(flipped)).rejects.toThrow(/authentication|open/);
    await expect(box.open(`zz.${iv}.${data}`)).rejects.toThrow(/no key/);
    await expect(secretBox("k1:dG9vLXNob3J0")).rejects.toThrow(/32 bytes/);
    expect(await box.open(sealed)).toBe("hello");
  });
});

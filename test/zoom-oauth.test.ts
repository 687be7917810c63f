import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { secretBox } from "../src/lib/secret-box";
import { call, expectStatus } from "./helpers/api";
import { countRows, createTenant, type Tenant } from "./helpers/tenants";
import { FakeZoom } from "./fakes/fake-zoom";

let zoom: FakeZoom;
beforeEach(() => {
  zoom = new FakeZoom();
  vi.spyOn(globalThis, "fetch").mockImplementation(zoom.handle);
});
afterEach(() => vi.restoreAllMocks());

async function connect(t: Tenant): Promise<{ location: URL; state: string; code: string }> {
  const started = await call<{ authorization_url: string }>("/api/v1/oauth/zoom/authorize", { token: t.accessToken });
  expectStatus(started, 200);
  const { code, state } = zoom.approve(started.body.authorization_url);
  const back = await call(`/api/v1/oauth/zoom/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`);
  expect(back.status).toBe(302);
  return { location: new URL(back.headers.get("Location")!), state, code };
}

/** Makes the stored access token look expired, so the next use must refresh it. */
async function expireStoredToken(credentialId: number): Promise<void> {
  const row = await env.DB.prepare("SELECT encrypted_data FROM user_credentials WHERE id = ?").bind(credentialId).first<{ encrypted_data: string }>();
  const box = await secretBox(env.ENCRYPTION_KEYS!);
  const payload = JSON.parse(await box.open(row!.encrypted_data));
  payload.expiry = new Date(Date.now() - 1000).toISOString();
  await env.DB.prepare("UPDATE user_credentials SET encrypted_data = ? WHERE id = ?").bind(await box.seal(JSON.stringify(payload)), credentialId).run();
}

describe("Zoom OAuth connect", () => {
  it("builds an authorization URL with a signed state and PKCE S256", async () => {
    const t = await createTenant("oauthurl");
    const started = await call<{ authorization_url: string; state: string; expires_in: number }>("/api/v1/oauth/zoom/authorize", { token: t.accessToken });
    const url = new URL(started.body.authorization_url);
    expect(`${url.origin}${url.pathname}`).toBe("https://zoom.us/oauth/authorize");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "oauth-app-client",
      redirect_uri: "http://api.test/api/v1/oauth/zoom/callback",
      code_challenge_method: "S256",
      state: started.body.state,
    });
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.body.expires_in).toBe(600);
    expectStatus(await call("/api/v1/oauth/zoom/authorize"), 401);
  });

  it("stores the tokens as a credential once; reused, forged, expired or refused flows fail cleanly", async () => {
    const t = await createTenant("oauthflow");
    const { location, state, code } = await connect(t);
    expect(`${location.origin}${location.pathname}`).toBe("https://app.example.test/settings/platforms");
    expect(location.searchParams.get("oauth_success")).toBe("true");
    const credentialId = Number(location.searchParams.get("credential_id"));
    const shown = await call<{ platform: string; account_name: string }>(`/api/v1/credentials/${credentialId}`, { token: t.accessToken });
    expect(shown.body).toMatchObject({ platform: "zoom", account_name: "lecturer@example.edu" });
    expect(shown.text).not.toContain("user-access-");

    const errorOf = async (query: string) => new URL((await call(`/api/v1/oauth/zoom/callback?${query}`)).headers.get("Location")!).searchParams.get("oauth_error");
    expect(await errorOf(`code=${code}&state=${encodeURIComponent(state)}`)).toBe("invalid_state"); // single use
    const [id] = state.split(".");
    expect(await errorOf(`code=x&state=${id}.forged-signature`)).toBe("invalid_state");
    expect(await errorOf("error=access_denied")).toBe("access_denied");

    const started = await call<{ authorization_url: string }>("/api/v1/oauth/zoom/authorize", { token: t.accessToken });
    const approved = zoom.approve(started.body.authorization_url);
    expect(await errorOf(`code=wrong-code&state=${encodeURIComponent(approved.state)}`)).toBe("token_exchange_failed");
    const late = await call<{ authorization_url: string }>("/api/v1/oauth/zoom/authorize", { token: t.accessToken });
    const lateApproval = zoom.approve(late.body.authorization_url);
    await env.DB.prepare("UPDATE oauth_states SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, lateApproval.state.split(".")[0]).run();
    expect(await errorOf(`code=${lateApproval.code}&state=${encodeURIComponent(lateApproval.state)}`)).toBe("invalid_state");

    // Connecting the same Zoom account again replaces the tokens instead of adding a credential.
    await connect(t);
    expect(await countRows("user_credentials", "user_id = ?", t.userId)).toBe(1);
  });

  it("refreshes an expiring token once for many concurrent users of it, and asks for reconnection when refused", async () => {
    const t = await createTenant("oauthrefresh");
    const { location } = await connect(t);
    const credentialId = Number(location.searchParams.get("credential_id"));
    const source = await call<{ id: number }>("/api/v1/sources", { token: t.accessToken, body: { name: "My Zoom", platform: "ZOOM", credential_id: credentialId } });
    zoom.addMeetings(2, "2026-09");
    await expireStoredToken(credentialId);
    const syncs = await Promise.all(
      Array.from({ length: 5 }, () => call(`/api/v1/sources/${source.body.id}/sync?from_date=2026-09-01&to_date=2026-09-30`, { method: "POST", token: t.accessToken })),
    );
    expect(syncs.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    expect(zoom.refreshGrants).toBe(1);
    expect(await countRows("recordings", "user_id = ?", t.userId)).toBe(2);

    zoom.revokeRefreshTokens();
    await expireStoredToken(credentialId);
    const refused = await call(`/api/v1/sources/${source.body.id}/sync?from_date=2026-09-01&to_date=2026-09-30`, { method: "POST", token: t.accessToken });
    expectStatus(refused, 412);
    const shown = await call<{ needs_reauth: boolean; status_reason: string }>(`/api/v1/credentials/${credentialId}`, { token: t.accessToken });
    expect(shown.body.needs_reauth).toBe(true);
    expect(shown.body.status_reason).toMatch(/Reconnect Zoom/);
    // Reconnecting clears it.
    await connect(t);
    const healed = await call<{ needs_reauth: boolean }>(`/api/v1/credentials/${credentialId}`, { token: t.accessToken });
    expect(healed.body.needs_reauth).toBe(false);
  });
});

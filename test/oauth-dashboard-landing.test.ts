import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app } from "../src/app";
import { loadConfig } from "../src/lib/config";
import { FakeZoom } from "./fakes/fake-zoom";
import { countRows, createTenant } from "./helpers/tenants";

/**
 * The OAuth callback sends the browser back to the dashboard's Connections page by default (an
 * empty variable counts as unset), on this origin, with a fixed-vocabulary outcome the page shows.
 */
const dashboardDefaults = { ...env, OAUTH_RESULT_REDIRECT_URL: "" } as Env;

async function landing(path: string): Promise<URL> {
  const response = await app.request(path, { redirect: "manual" }, dashboardDefaults);
  expect(response.status, await response.clone().text()).toBe(302);
  return new URL(response.headers.get("Location")!);
}

let zoom: FakeZoom;
beforeEach(() => {
  zoom = new FakeZoom();
  vi.spyOn(globalThis, "fetch").mockImplementation(zoom.handle);
});
afterEach(() => vi.restoreAllMocks());

describe("OAuth callback → dashboard", () => {
  it("defaults to the Connections page", () => {
    expect(loadConfig({ JWT_SECRET: "x".repeat(32) }).OAUTH_RESULT_REDIRECT_URL).toBe("/connections");
  });

  it("lands a completed connect on /connections of this origin with the platform and the new credential", async () => {
    const t = await createTenant("oauthlanding");
    const started = await app.request("/api/v1/oauth/zoom/authorize", { headers: { Authorization: `Bearer ${t.accessToken}` } }, dashboardDefaults);
    expect(started.status).toBe(200);
    const { code, state } = zoom.approve(((await started.json()) as { authorization_url: string }).authorization_url);
    const back = await landing(`/api/v1/oauth/zoom/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`);
    expect(`${back.origin}${back.pathname}`).toBe("http://localhost/connections");
    expect(back.searchParams.get("platform")).toBe("zoom");
    expect(back.searchParams.get("oauth_success")).toBe("true");
    const credentialId = Number(back.searchParams.get("credential_id"));
    expect(await countRows("user_credentials", "user_id = ? AND id = ?", t.userId, credentialId)).toBe(1);
  });

  it("lands a refusal on /connections with a fixed error code, whatever the provider or an attacker adds", async () => {
    const refused = await landing("/api/v1/oauth/youtube/callback?error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    expect(`${refused.origin}${refused.pathname}`).toBe("http://localhost/connections");
    expect(Object.fromEntries(refused.searchParams)).toEqual({ platform: "youtube", oauth_error: "access_denied" });

    // Extra redirect-looking parameters never choose the target: no open redirect.
    const hostile = await landing(
      "/api/v1/oauth/vk/callback?code=x&state=forged.signature&return_to=https%3A%2F%2Fevil.example&redirect_uri=%2F%2Fevil.example&next=https://evil.example",
    );
    expect(`${hostile.origin}${hostile.pathname}`).toBe("http://localhost/connections");
    expect(Object.fromEntries(hostile.searchParams)).toEqual({ platform: "vk", oauth_error: "invalid_state" });
  });

  it("refuses an unknown platform with a 400 and stores nothing", async () => {
    const before = await countRows("user_credentials", "1 = 1");
    const response = await app.request("/api/v1/oauth/evil.example/callback?code=x&state=y", { redirect: "manual" }, dashboardDefaults);
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
    expect(await countRows("user_credentials", "1 = 1")).toBe(before);
  });
});

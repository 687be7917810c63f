import { expect, inject } from "vitest";
import type { SandboxInfo } from "./dev-server";
import { baseURL } from "./browser";

// The journeys' server talks to the sandbox's simulated providers (started in dev-server.ts, the
// same simulators as `npm run dev:sandbox`): Zoom, OpenAI-compatible transcription and chat, YouTube.

/** The simulators; null against an external server (E2E_BASE_URL), where pipeline journeys skip. */
export function sandbox(): SandboxInfo | null {
  return inject("sandbox");
}

function required(): SandboxInfo {
  const info = sandbox();
  if (!info) throw new Error("no sandbox simulators (an external E2E_BASE_URL server): this journey needs the run's own server");
  return info;
}

async function api<T>(token: string, method: string, pathname: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseURL()}/api/v1${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.ok, `${method} ${pathname} → ${response.status}: ${text.slice(0, 400)}`).toBe(true);
  return (text ? JSON.parse(text) : null) as T;
}

/**
 * Connects a user to the simulated services a meeting needs after it arrives, the way
 * `npm run dev:sandbox` does, through the API: transcription (Fireworks-shaped) and chat
 * (DeepSeek-shaped) keys, a YouTube channel and its preset "Sandbox YouTube channel (simulated)", a
 * template matching "Lecture …" meetings, and a user config that processes an arriving meeting at
 * once (thresholds at zero: the sample is 6 s) but does NOT publish by itself. Zoom itself is
 * connected by the journey, on the Connections page (the simulator's keys: `sandbox().secrets.zoom`).
 */
export async function connectSandboxServices(token: string): Promise<void> {
  const { secrets } = required();
  const credential = (platform: string, accountName: string, credentials: Record<string, string>) =>
    api<{ id: number }>(token, "POST", "/credentials", { platform, account_name: accountName, credentials });
  await credential("fireworks", "Sandbox transcription (simulated)", { api_key: secrets.asrKey });
  await credential("deepseek", "Sandbox chat (simulated)", { api_key: secrets.llmKey });
  const youtube = await credential("youtube", "Sandbox YouTube (simulated)", {
    client_id: "sandbox-google-client.simulated",
    client_secret: "sandbox-google-secret",
    access_token: secrets.youtubeToken,
    refresh_token: "1//sandbox-refresh-token",
    expiry: "2099-01-01T00:00:00Z",
  });
  await api(token, "POST", "/presets", {
    name: "Sandbox YouTube channel (simulated)",
    platform: "youtube",
    credential_id: youtube.id,
    preset_metadata: { title_template: "{display_name}", privacy: "unlisted" },
  });
  await api(token, "POST", "/templates", {
    name: "Sandbox lectures (simulated)",
    matching_rules: { keywords: ["lecture"] },
    processing_config: { download: { auto_download: true, blank_min_duration_minutes: 0, blank_min_size_mb: 0 } },
  });
  await api(token, "PATCH", "/users/me/config", {
    processing: { padding_before: 1, padding_after: 1 },
    transcription: { provider: "fireworks", language: "en", topics_providers: ["deepseek"] },
    download: { auto_download: true, blank_min_duration_minutes: 0, blank_min_size_mb: 0 },
    upload: { auto_upload: false },
  });
}

/**
 * The next sample meeting "arrives": the Zoom simulator adds it to its recordings and delivers a
 * signed `recording.completed` webhook to `webhookUrl` (a user's ZOOM source), as Zoom would.
 * Returns the meeting's topic (its recording's display name).
 */
export async function meetingArrives(webhookUrl: string): Promise<string> {
  const { meetingsUrl, secrets } = required();
  const response = await fetch(meetingsUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ webhook_url: webhookUrl, secret_token: secrets.zoomWebhookSecret }),
  });
  const answer = (await response.json()) as { meeting: { topic: string }; webhook: { status: number; body: string } };
  expect(response.status, JSON.stringify(answer)).toBe(200);
  return answer.meeting.topic;
}

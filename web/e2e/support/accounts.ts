import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { baseURL } from "./browser";

export const PASSWORD = "Lecture2026!";

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

async function api(pathname: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  return fetch(`${baseURL()}${pathname}`, { ...init, headers });
}

/** An account made through the API (for journeys whose story starts after sign-up). */
export async function registerViaApi(email: string): Promise<string> {
  const register = await api("/api/v1/auth/register", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(register.status, await register.clone().text()).toBe(201);
  const login = await api("/api/v1/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(login.status, await login.clone().text()).toBe(200);
  return ((await login.json()) as { access_token: string }).access_token;
}

/** The first bytes of an MP4 (ftyp isom), padded: what the upload's type check reads. */
export function fakeMp4(size = 64 * 1024): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(size)).fill(7);
  bytes.set([0, 0, 0, 0x18, ...new TextEncoder().encode("ftypisom"), 0, 0, 2, 0]);
  return bytes;
}

/** A recording uploaded through the API as its raw body (a padded MP4 header unless given a real file); returns its id. */
export async function uploadViaApi(token: string, displayName: string, body: Uint8Array<ArrayBuffer> = fakeMp4()): Promise<number> {
  const response = await api(`/api/v1/recordings?display_name=${encodeURIComponent(displayName)}`, {
    method: "POST",
    token,
    headers: { "Content-Type": "video/mp4" },
    body,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { id: number }).id;
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("textbox", { name: "Password" }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
}

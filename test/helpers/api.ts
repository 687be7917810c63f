import { exports } from "cloudflare:workers";
import { expect } from "vitest";

let ipCounter = 0;
let emailCounter = 0;

/** A fresh client IP per caller keeps the per-IP auth rate limit out of unrelated tests. */
export function uniqueIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
}

export function uniqueEmail(label = "user"): string {
  emailCounter += 1;
  return `${label}-${Date.now().toString(36)}-${emailCounter}@example.test`;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: BodyInit;
  token?: string;
  ip?: string;
  headers?: Record<string, string>;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Calls the Worker's real fetch entry (Sentry wrapper, middleware, routes) in workerd. */
export async function call<T = Record<string, unknown>>(path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { "CF-Connecting-IP": options.ip ?? "203.0.113.1", ...options.headers };
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] ??= "application/json";
  }
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const response = await exports.default.fetch(
    new Request(`http://api.test${path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" }),
  );
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Non-JSON bodies (the /docs page) stay text.
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** Asserts the status and, for errors, the standard envelope; prints the body when it fails. */
export function expectStatus(response: ApiResponse<unknown>, status: number): void {
  expect(response.status, `expected ${status}, got ${response.status}: ${response.text}`).toBe(status);
  if (status >= 400) expectErrorEnvelope(response);
}

export function expectErrorEnvelope(response: ApiResponse<unknown>, code?: string): void {
  const body = response.body as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
  expect(body?.error, `not an error envelope: ${response.text}`).toBeDefined();
  expect(typeof body.error?.message).toBe("string");
  expect(body.error?.requestId).toBe(response.headers.get("X-Request-Id"));
  if (code) expect(body.error?.code).toBe(code);
}

import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { call, expectStatus, uniqueEmail, uniqueIp, type CallOptions } from "./api";

export const DEFAULT_PASSWORD = "Lecture2026!";

export interface Tenant {
  userId: string;
  email: string;
  password: string;
  ip: string;
  accessToken: string;
  refreshToken: string;
}

interface TokenBody {
  access_token: string;
  refresh_token: string;
}

export async function login(email: string, password: string, ip: string): Promise<TokenBody> {
  const response = await call<TokenBody>("/api/v1/auth/login", { body: { email, password }, ip });
  expectStatus(response, 200);
  return response.body;
}

/** Registers and signs in a new user, from its own client IP. */
export async function createTenant(label = "tenant"): Promise<Tenant> {
  const email = uniqueEmail(label);
  const ip = uniqueIp();
  const registered = await call<{ id: string }>("/api/v1/auth/register", {
    body: { email, password: DEFAULT_PASSWORD, full_name: `Test ${label}` },
    ip,
  });
  expectStatus(registered, 201);
  const tokens = await login(email, DEFAULT_PASSWORD, ip);
  return {
    userId: registered.body.id,
    email,
    password: DEFAULT_PASSWORD,
    ip,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
  };
}

/** Two independent tenants: A owns the data, B tries to reach it. */
export async function createTwoTenants(): Promise<{ a: Tenant; b: Tenant }> {
  return { a: await createTenant("tenant-a"), b: await createTenant("tenant-b") };
}

/**
 * The security contract every tenant-owned route keeps: without a token → 401; with another
 * tenant's token → 404 (existence never leaks); and the owner still gets `ownerStatus`.
 */
export async function expectTenantIsolation(
  route: { path: string; method?: string; body?: unknown },
  tenants: { a: Tenant; b: Tenant },
  ownerStatus?: number,
): Promise<void> {
  const base: CallOptions = { method: route.method ?? "GET", body: route.body };
  const anonymous = await call(route.path, { ...base, ip: tenants.b.ip });
  expectStatus(anonymous, 401);
  const foreign = await call(route.path, { ...base, token: tenants.b.accessToken, ip: tenants.b.ip });
  expectStatus(foreign, 404);
  if (ownerStatus !== undefined) {
    const owner = await call(route.path, { ...base, token: tenants.a.accessToken, ip: tenants.a.ip });
    expect(owner.status, owner.text).toBe(ownerStatus);
  }
}

export async function countRows(table: string, where = "1 = 1", ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

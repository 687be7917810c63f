import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { unauthorized } from "../lib/errors";
import { addLogContext } from "../lib/logger";
import { authenticate, requireRole } from "../services/auth/auth.service";
import { serviceContext } from "../services/context";

const BEARER = /^Bearer\s+(\S+)$/i;

export const requireAuth = createMiddleware<AppBindings>(async (c, next) => {
  const match = BEARER.exec(c.req.header("Authorization") ?? "");
  if (!match?.[1]) throw unauthorized("Not authenticated");
  const { auth, user } = await authenticate(serviceContext(c.env), match[1]);
  c.set("auth", auth);
  c.set("user", user);
  addLogContext({ userId: auth.userId });
  await next();
});

/** Runs after `requireAuth`. */
export const requireAdmin = createMiddleware<AppBindings>(async (c, next) => {
  requireRole(c.get("auth"), "admin");
  await next();
});

import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppConfig } from "./lib/config";
import type { UserRole, users } from "./db/schema";

/** The authenticated caller, set by the `requireAuth` middleware. */
export interface AuthContext {
  userId: string;
  sessionId: string;
  email: string;
  role: UserRole;
}

export interface AppBindings {
  Bindings: Env;
  Variables: {
    requestId: string;
    config: AppConfig;
    auth: AuthContext;
    /** The caller's user row as read with the session check (set by `requireAuth`). */
    user: typeof users.$inferSelect;
  };
}

export type AppOpenAPI = OpenAPIHono<AppBindings>;

import type { AppConfig } from "../../lib/config";
import { randomToken, sha256Hex } from "../../lib/crypto";

/**
 * Links in account e-mails point at the dashboard, with the token in the fragment: a fragment is
 * never sent to a server, so the token does not reach access logs or a Referer header. The page
 * reads it and POSTs it to /auth/verify-email or /auth/reset-password.
 */
export function linkBase(config: AppConfig, requestOrigin: string): string {
  const base = config.EMAIL_LINK_BASE_URL || config.PUBLIC_BASE_URL || requestOrigin;
  return base.replace(/\/+$/, "");
}

export const verifyEmailUrl = (base: string, token: string): string => `${base}/verify-email#token=${encodeURIComponent(token)}`;
export const resetPasswordUrl = (base: string, token: string): string => `${base}/reset-password#token=${encodeURIComponent(token)}`;
export const forgotPasswordUrl = (base: string): string => `${base}/forgot-password`;

/** Single-use e-mailed tokens: 256 random bits, a prefix naming the purpose; only the SHA-256 is stored. */
export const newEmailToken = (purpose: "verify_email" | "password_reset"): string => (purpose === "verify_email" ? "ev_" : "pr_") + randomToken(32);
export const hashEmailToken = (token: string): Promise<string> => sha256Hex(token);

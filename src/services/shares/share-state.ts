import type { ShareRow } from "../../db/repositories/shares.repository";

export type ShareStatus = "active" | "expired" | "revoked";

export function shareStatus(share: Pick<ShareRow, "revokedAt" | "expiresAt">, now: Date): ShareStatus {
  if (share.revokedAt) return "revoked";
  if (share.expiresAt && share.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

export const isShareLive = (share: Pick<ShareRow, "revokedAt" | "expiresAt">, now: Date): boolean => shareStatus(share, now) === "active";

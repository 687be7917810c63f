import { ulid as ulidx } from "ulidx";

/**
 * ULIDs (ulidx): 48-bit millisecond timestamp + 80 random bits from WebCrypto, Crockford base32,
 * 26 characters. Sortable by creation time, not enumerable. `now` lets a run id carry the
 * service clock's time.
 */
export function ulid(now: number = Date.now()): string {
  return ulidx(now);
}

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

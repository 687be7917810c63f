// @ts-check
/**
 * Credentials are never copied. LEAP would hand out decrypted secrets (`?include_data=true`, §3.5),
 * but the import does not ask: OAuth tokens belong to LEAP's OAuth apps and cannot be refreshed by
 * this server's, and secrets have no business passing through a command line. The user connects
 * each account here; a LEAP credential then stands for the credential here of the same platform
 * (the one with the same account name when there are several).
 */
import { credentialPlatformHere, PLATFORM_LABEL } from "./convert.mjs";

/** @typedef {import("./report.mjs").CredentialLine} CredentialLine */
/** @typedef {{ id: number } | { reason: string }} Resolution */

const CONNECTABLE = new Set(["zoom", "youtube", "vk", "yandex_disk"]);

/** How to connect a platform here. */
const howToConnect = (/** @type {string} */ platform) =>
  CONNECTABLE.has(platform) ? `GET /api/v1/oauth/${platform}/authorize, or POST /api/v1/credentials` : "POST /api/v1/credentials";

export class CredentialMap {
  /**
   * @param {Array<Record<string, unknown>> | null} leap LEAP's credentials (null: could not be read)
   * @param {Array<Record<string, unknown>> | null} here
   */
  constructor(leap, here) {
    this.leap = leap;
    this.here = here ?? [];
    /** @type {Map<string, CredentialLine>} */
    this.lines = new Map();
    for (const c of leap ?? []) this.line(c);
  }

  /** @param {Record<string, unknown>} c */
  line(c) {
    const key = String(c.id);
    let line = this.lines.get(key);
    if (!line) {
      line = {
        leapId: Number.isInteger(c.id) ? Number(c.id) : null,
        platform: String(c.platform),
        accountName: typeof c.account_name === "string" ? c.account_name : null,
        status: "unused",
        id: null,
        neededBy: [],
        advice: "",
      };
      this.lines.set(key, line);
    }
    return line;
  }

  /**
   * The credential here that stands for a LEAP object's credential.
   * @param {string} platform this server's platform the object needs
   * @param {unknown} leapCredentialId
   * @param {string} user e.g. `preset "YouTube"`
   * @returns {Resolution}
   */
  resolve(platform, leapCredentialId, user) {
    const leapCredential = (this.leap ?? []).find((c) => c.id === leapCredentialId) ?? null;
    const account = typeof leapCredential?.account_name === "string" ? leapCredential.account_name : null;
    const line = leapCredential
      ? this.line(leapCredential)
      : this.line({ id: `none:${platform}`, platform, account_name: null });
    if (!line.neededBy.includes(user)) line.neededBy.push(user);
    const label = PLATFORM_LABEL[platform] ?? platform;
    const candidates = this.here.filter((c) => c.platform === platform && c.is_active !== false);
    const named = account ? candidates.filter((c) => typeof c.account_name === "string" && c.account_name.toLowerCase() === account.toLowerCase()) : [];
    const chosen = named.length === 1 ? named[0] : candidates.length === 1 ? candidates[0] : undefined;
    if (chosen) {
      line.status = "connected";
      line.id = Number(chosen.id);
      line.advice = `connected here as credential #${chosen.id}${chosen.account_name ? ` ("${chosen.account_name}")` : ""}`;
      return { id: Number(chosen.id) };
    }
    if (candidates.length === 0) {
      line.status = "not_connected";
      line.advice = `NOT connected here: connect ${label} (${howToConnect(platform)}) and run the import again`;
      return { reason: `connect ${label}${account ? ` ("${account}")` : ""} here first` };
    }
    line.status = "ambiguous";
    line.advice = `${candidates.length} ${label} credentials here and none is named "${account ?? ""}": set the account_name of the one to use (PATCH /api/v1/credentials/{id})`;
    return { reason: `${candidates.length} ${label} accounts here and none is named "${account ?? "?"}": set the account_name of the one to use first` };
  }

  /** Final lines: every LEAP credential, and what the user has to do about it. */
  report() {
    for (const line of this.lines.values()) {
      if (line.status !== "unused") continue;
      const platform = credentialPlatformHere(line.platform);
      if (!platform) {
        line.status = "unsupported";
        line.advice = `${line.platform} is not supported here; nothing imported uses it`;
      } else {
        line.advice = `not needed by anything imported; to use ${PLATFORM_LABEL[platform] ?? platform} here, connect it (${howToConnect(platform)})`;
      }
    }
    return [...this.lines.values()];
  }
}

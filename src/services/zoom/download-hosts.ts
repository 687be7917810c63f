import type { AppConfig } from "../../lib/config";
import { hostMatches, OutboundUrlRefused, outboundPolicyFrom, outboundRefusal, parseHostList } from "../../lib/outbound-policy";

/** The hosts a Zoom download URL may name: the only hosts a Zoom download token is ever sent to. */
export const zoomDownloadHosts = (config: AppConfig): string[] => parseHostList(config.ZOOM_DOWNLOAD_HOSTS);

/**
 * Why a Zoom file's download_url may not be used, or null. A webhook body is signed with the
 * tenant's own secret, so its URLs are tenant input: they must pass the outbound policy and name a
 * Zoom host (a file Zoom keeps is downloaded from Zoom, and that is where its token goes).
 */
export function zoomDownloadUrlRefusal(config: AppConfig, raw: string): OutboundUrlRefused | null {
  const refusal = outboundRefusal(raw, outboundPolicyFrom(config));
  if (refusal) return refusal;
  const url = new URL(raw);
  if (hostMatches(url, zoomDownloadHosts(config))) return null;
  return new OutboundUrlRefused("host_not_allowed", url.hostname, `host ${url.hostname} is not a Zoom download host (ZOOM_DOWNLOAD_HOSTS)`);
}

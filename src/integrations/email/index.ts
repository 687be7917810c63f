import type { AppConfig } from "../../lib/config";
import { outboundPolicyFrom, parseHostList } from "../../lib/outbound-policy";
import { policedSend } from "../safe-fetch";
import { outboxTransport } from "./outbox-transport";
import { resendTransport } from "./resend-transport";
import type { EmailTransport } from "./types";

export type { EmailMessage, EmailTransport, EmailTransportName, SendOutcome } from "./types";
export { EMAIL_TRANSPORTS } from "./types";
export { listOutbox, OUTBOX_PREFIX, type OutboxEntry } from "./outbox-transport";

/** The transport EMAIL_TRANSPORT names. Outbound HTTP goes through the policed fetch (https, public hosts). */
export function createEmailTransport(config: AppConfig, env: { MEDIA: R2Bucket }, now: () => Date): EmailTransport {
  switch (config.EMAIL_TRANSPORT) {
    case "outbox":
      return outboxTransport(env.MEDIA, now);
    case "resend": {
      const baseUrl = config.EMAIL_API_BASE_URL;
      return resendTransport({
        baseUrl,
        apiKey: config.EMAIL_API_KEY,
        timeoutMs: config.EMAIL_TIMEOUT_SECONDS * 1000,
        send: policedSend({ policy: outboundPolicyFrom(config), credentialHosts: parseHostList(new URL(baseUrl).hostname) }),
      });
    }
  }
}

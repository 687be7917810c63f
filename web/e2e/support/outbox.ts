import { expect } from "vitest";
import { baseURL } from "./browser";

interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  links: string[];
  sent_at: string;
}

/**
 * The newest e-mailed link to `to` whose path is `pathname` (e.g. "/verify-email"), from the
 * development outbox (GET /api/v1/dev/outbox), as a path with its #token fragment for page.goto.
 * Polls: some e-mails are sent after the API has answered. `notIn` skips links already used.
 */
export async function emailedLink(to: string, pathname: string, notIn: string[] = []): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(
      async () => {
        const response = await fetch(`${baseURL()}/api/v1/dev/outbox?to=${encodeURIComponent(to)}`);
        expect(response.status, await response.clone().text()).toBe(200);
        const { items } = (await response.json()) as { items: OutboxMessage[] };
        for (const message of items) {
          for (const raw of message.links) {
            const url = new URL(raw);
            const path = `${url.pathname}${url.hash}`;
            if (url.pathname === pathname && url.hash.startsWith("#token=") && !notIn.includes(path)) {
              found = path;
              return path;
            }
          }
        }
        return undefined;
      },
      { timeout: 15_000, interval: 250 },
    )
    .toBeDefined();
  return found as string;
}

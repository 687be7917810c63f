import { listOutbox as readOutbox, type OutboxEntry } from "../../integrations/email";
import type { ServiceContext } from "../context";

/** What the development outbox holds (newest first); addresses compare lower-cased, as stored. */
export async function listOutbox(ctx: ServiceContext, input: { to?: string; limit: number }): Promise<OutboxEntry[]> {
  return readOutbox(ctx.env.MEDIA, { to: input.to?.trim().toLowerCase(), limit: input.limit });
}

import { AccountsRepository } from "../db/repositories/accounts.repository";
import { log } from "../lib/logger";
import { storageKeys } from "../lib/storage-keys";
import type { ServiceContext } from "../services/context";
import { enqueue } from "../integrations/queue/pipeline-queue";
import { clearSearchIndex } from "../services/search/index-sync";

/** R2 lists at most 1000 keys per call; a few pages per message keep each run short. */
const PAGES_PER_RUN = 5;

/**
 * Removes every object under the tenant's prefix, then the user row (which cascades to every
 * tenant table). Idempotent and resumable: each run deletes what it lists, and if objects remain
 * it re-enqueues itself, so a 100 000-object tenant never needs one long invocation.
 */
export async function purgeAccount(ctx: ServiceContext, userId: string): Promise<"done" | "continued"> {
  const accounts = new AccountsRepository(ctx.db);
  const user = await accounts.findById(userId);
  if (user && !user.deletionRequestedAt) {
    log.warn("account purge skipped: deletion was not requested", { userId });
    return "done";
  }
  const prefix = storageKeys.userRoot(userId);
  let deleted = 0;
  for (let page = 0; page < PAGES_PER_RUN; page++) {
    const listing = await ctx.env.MEDIA.list({ prefix, limit: 1000 });
    if (listing.objects.length > 0) {
      await ctx.env.MEDIA.delete(listing.objects.map((o) => o.key));
      deleted += listing.objects.length;
    }
    if (!listing.truncated) {
      if (user) await accounts.deleteUser(userId);
      await clearSearchIndex(ctx, userId);
      log.info("account purged", { userId, deletedObjects: deleted });
      return "done";
    }
  }
  await enqueue(ctx.env, { type: "account.purge", userId });
  log.info("account purge continues", { userId, deletedObjects: deleted });
  return "continued";
}

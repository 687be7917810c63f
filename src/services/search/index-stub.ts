/** The tenant's own index object: one per user id, so no query can reach another tenant's rows. */
export function searchIndexFor(env: Env, userId: string) {
  if (!userId) throw new Error("searchIndexFor requires a user id");
  return env.SEARCH_INDEX.get(env.SEARCH_INDEX.idFromName(userId));
}

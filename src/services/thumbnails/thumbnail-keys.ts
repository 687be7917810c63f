/**
 * R2 keys of thumbnails. A user's own are under the user's root (so account deletion removes
 * them with everything else); the shared defaults live once under `shared/thumbnails/` and are
 * read through as a fallback, never copied per user (LEAP copied all 22 into every account).
 */
export const thumbnailKeys = {
  userPrefix: (userId: string): string => `users/${userId}/thumbnails/`,
  user: (userId: string, name: string): string => `users/${userId}/thumbnails/${name}`,
  sharedPrefix: (): string => "shared/thumbnails/",
  shared: (name: string): string => `shared/thumbnails/${name}`,
};

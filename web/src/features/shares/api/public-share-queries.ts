import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";

export const publicShareKeys = {
  all: ["public-share"] as const,
  view: (token: string, password: string | null) => [...publicShareKeys.all, token, password] as const,
};

/**
 * A shared recording as an anonymous visitor sees it. Each answer counts a view, so it is not
 * refetched on focus; the player asks again only when its signed URL fails.
 */
export function usePublicShare(token: string, password: string | null) {
  return useQuery({
    queryKey: publicShareKeys.view(token, password),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/public/shares/{token}", {
          params: { path: { token }, header: password === null ? {} : { "x-share-password": encodeURIComponent(password) } },
        }),
      ),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    retry: false,
  });
}

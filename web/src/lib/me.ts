import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "./api-client";

/** The signed-in user (role decides the Admin page); shared by the shell and the settings page. */
export const meQuery = queryOptions({
  queryKey: ["me"] as const,
  queryFn: () => unwrap(api.GET("/api/v1/users/me")),
  staleTime: 60_000,
});

import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api-error";

/** Client mistakes (4xx) are final; the server's trouble and the network get two more tries. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
    mutations: { retry: false },
  },
});

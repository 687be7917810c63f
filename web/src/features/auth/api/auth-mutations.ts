import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";
import { session } from "../../../lib/session";

interface Credentials {
  email: string;
  password: string;
}

async function signIn(credentials: Credentials): Promise<void> {
  session.start(await unwrap(api.POST("/api/v1/auth/login", { body: credentials })));
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    onSuccess: () => queryClient.clear(),
  });
}

/** Creates the account, then signs in with the same credentials. */
export function useSignUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: Credentials & { full_name?: string }) => {
      await unwrap(api.POST("/api/v1/auth/register", { body: input }));
      await signIn({ email: input.email, password: input.password });
    },
    onSuccess: () => queryClient.clear(),
  });
}

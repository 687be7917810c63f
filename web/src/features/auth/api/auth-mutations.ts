import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../../lib/api-client";
import { ApiError } from "../../../lib/api-error";
import { meQuery } from "../../../lib/me";
import { session } from "../../../lib/session";

interface Credentials {
  email: string;
  password: string;
}

/** Cookie mode: the refresh token goes into an HttpOnly cookie, only the access token reaches this page. */
async function signIn(credentials: Credentials): Promise<void> {
  session.start(await unwrap(api.POST("/api/v1/auth/login", { body: { ...credentials, session: "cookie" } })));
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

/** Always the same neutral answer, whether or not the address has an account. */
export function useForgotPassword() {
  return useMutation({
    mutationFn: (email: string) => unwrap(api.POST("/api/v1/auth/forgot-password", { body: { email } })),
  });
}

/** Sets the password with the e-mailed token; the server signs out every session, this tab's too. */
export function useResetPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { token: string; new_password: string }) => unwrap(api.POST("/api/v1/auth/reset-password", { body: input })),
    onSuccess: () => {
      session.end();
      queryClient.clear();
    },
  });
}

export function useVerifyEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => unwrap(api.POST("/api/v1/auth/verify-email", { body: { token } })),
    // The signed-in user (if it is this one) is verified now: the banner goes.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meQuery.queryKey }),
  });
}

export function useResendVerification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/auth/resend-verification")),
    onError: (error) => {
      // 409: already verified (in another tab, say): the shown user is stale.
      if (error instanceof ApiError && error.status === 409) void queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
    },
  });
}

import { Alert, Button, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { session } from "../../../lib/session";
import { useVerifyEmail } from "../api/auth-mutations";
import { emailLinkToken } from "../password-rules";
import { AuthError } from "./auth-error";
import { ResendVerification } from "./resend-verification";

/** The page of the e-mailed verification link: confirms at once, signed in or not. */
export function VerifyEmailPage() {
  const { t } = useI18n();
  const [token] = useState(() => emailLinkToken());
  const verify = useVerifyEmail();
  const { mutate } = verify;
  const signedIn = useSyncExternalStore(session.subscribe, session.isSignedIn);
  // Each token works once: StrictMode's second effect run must not send it again.
  const sent = useRef(false);
  useEffect(() => {
    if (token === null || sent.current) return;
    sent.current = true;
    mutate(token);
  }, [token, mutate]);
  useEffect(() => {
    document.title = `${t.auth.verifyTitle} · ${t.app.title}`;
  }, [t]);

  const linkDead = token === null || (verify.error instanceof ApiError && verify.error.status === 400);

  return (
    <Stack>
      <Title order={1} size="h2">
        {t.auth.verifyTitle}
      </Title>
      {verify.isSuccess ? (
        <>
          <Alert color="green" role="status">
            {t.auth.verified(verify.data.email)}
          </Alert>
          <Button component={Link} to={signedIn ? "/recordings" : "/sign-in"}>
            {signedIn ? t.auth.continueToApp : t.auth.goSignIn}
          </Button>
        </>
      ) : linkDead ? (
        <>
          <Alert color="red" role="alert">
            {t.auth.linkInvalid}
          </Alert>
          {signedIn ? (
            <ResendVerification label={t.auth.sendAgain} />
          ) : (
            <Button component={Link} to="/sign-in">
              {t.auth.signInToResend}
            </Button>
          )}
        </>
      ) : verify.isError ? (
        <AuthError error={verify.error} />
      ) : (
        <Group gap="sm" role="status">
          <Loader size="sm" />
          <Text>{t.auth.verifying}</Text>
        </Group>
      )}
    </Stack>
  );
}

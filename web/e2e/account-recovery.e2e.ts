import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { PASSWORD, registerViaApi, signIn, uniqueEmail } from "./support/accounts";
import { launch, newContext, review, trackErrors } from "./support/browser";
import { emailedLink } from "./support/outbox";

// A lecturer confirms their e-mail from the link in their inbox, later forgets the password and
// sets a new one from the reset e-mail; the browser keeps them signed in across reloads with an
// HttpOnly cookie, and no refresh token ever reaches page storage.
const NEW_PASSWORD = "Recovered2026!";
const BANNER = { name: "Confirm your e-mail address" } as const;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test("sign up, confirm the e-mail, reset a forgotten password, stay signed in across a reload", async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  const email = uniqueEmail("recovery");

  // Sign up: straight in, with a banner asking to confirm the address.
  await page.goto("/sign-up");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
  const banner = page.getByRole("region", BANNER);
  await banner.getByText(`We sent a link to ${email}.`).waitFor();
  await review(page, "unverified-banner");

  // Asking again makes the first link stop working.
  const firstLink = await emailedLink(email, "/verify-email");
  await banner.getByRole("button", { name: "Resend the link" }).click();
  await banner.getByRole("status").filter({ hasText: `A new link was sent to ${email}.` }).waitFor();
  const secondLink = await emailedLink(email, "/verify-email", [firstLink]);

  // The old link (a fresh page load: the session comes back from the cookie) is refused clearly.
  await page.goto(firstLink);
  await page.getByRole("heading", { level: 1, name: "Confirm your e-mail" }).waitFor();
  await page.getByRole("alert").filter({ hasText: "This link has expired or was already used." }).waitFor();
  await page.getByRole("button", { name: "Send a new link" }).waitFor();
  await review(page, "verify-email-expired");

  // The new one confirms the address, and the banner is gone.
  await page.goto("/recordings");
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
  await page.goto(secondLink);
  await page.getByRole("status").filter({ hasText: `Your e-mail address ${email} is confirmed.` }).waitFor();
  await review(page, "verify-email-done");
  await page.getByRole("link", { name: "Continue to your recordings" }).click();
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
  await page.getByRole("heading", { name: "No recordings yet" }).waitFor();
  expect(await page.getByRole("region", BANNER).count()).toBe(0);

  // Signed out, the password is forgotten: the answer is the same for any address.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await page.getByRole("heading", { level: 1, name: "Reset your password" }).waitFor();
  await review(page, "forgot-password");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await page.getByRole("status").filter({ hasText: "If an account uses this address, a link to reset its password is on its way." }).waitFor();
  await review(page, "forgot-password-sent");

  // The e-mailed link: the password rules are checked before anything is sent.
  const resetLink = await emailedLink(email, "/reset-password");
  await page.goto(resetLink);
  await page.getByRole("heading", { level: 1, name: "Set a new password" }).waitFor();
  const newPassword = page.getByRole("textbox", { name: "New password", exact: true });
  const repeat = page.getByRole("textbox", { name: "Repeat the new password" });
  await newPassword.fill("short");
  await repeat.fill("short");
  await page.getByRole("button", { name: "Set the password" }).click();
  // The rules as the field's hint, and again as its error.
  await expect.poll(() => page.getByText("At least 8 characters, with a digit and a capital letter.").count()).toBe(2);
  await newPassword.fill(NEW_PASSWORD);
  await repeat.fill(`${NEW_PASSWORD}x`);
  await page.getByRole("button", { name: "Set the password" }).click();
  await page.getByText("The passwords do not match.").waitFor();
  await review(page, "reset-password");
  await repeat.fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set the password" }).click();

  // Back at sign-in with the news; the old password no longer works, the new one does.
  await page.getByRole("status").filter({ hasText: "Your password was changed" }).waitFor();
  await review(page, "sign-in-after-reset");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("textbox", { name: "Password" }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "Incorrect e-mail or password." }).waitFor();
  await signIn(page, email, NEW_PASSWORD);

  // A reset link works once.
  await page.goto(resetLink);
  await newPassword.fill("Another2026!");
  await repeat.fill("Another2026!");
  await page.getByRole("button", { name: "Set the password" }).click();
  await page.getByRole("alert").filter({ hasText: "This link has expired or was already used." }).waitFor();

  // A reload keeps the session: one silent refresh from the HttpOnly cookie.
  await page.goto("/recordings");
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
  const refreshed = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/auth/refresh");
  await page.reload();
  expect((await refreshed).status()).toBe(200);
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
  expect(new URL(page.url()).pathname).toBe("/recordings");

  // The refresh token is only in the HttpOnly cookie: not in page storage, not readable by scripts.
  const cookie = (await context.cookies()).find((c) => c.name === "__Secure-lp_refresh");
  expect(cookie, "the refresh cookie").toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/api/v1/auth" });
  const visible = await page.evaluate(() => ({
    storage: JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }),
    cookies: document.cookie,
  }));
  expect(visible.storage).not.toContain(cookie?.value);
  expect(visible.storage.toLowerCase()).not.toContain("refresh");
  expect(visible.cookies).not.toContain("lp_refresh");

  expect(errors).toEqual([]);
  await context.close();
});

test("see where the account is signed in, end one other session, then sign out everywhere", async () => {
  const email = uniqueEmail("sessions");
  await registerViaApi(email);
  const laptop = await newContext(browser);
  const phone = await newContext(browser, "phone");
  const page = await laptop.newPage();
  const other = await phone.newPage();
  const errors = trackErrors(page);
  await signIn(page, email);
  await signIn(other, email);

  await page.goto("/settings");
  const sessions = page.getByRole("region", { name: "Active sessions" });
  // The header row, then the sessions: the sign-up's (through the API), the phone's and this one.
  await expect.poll(() => sessions.getByRole("row").count()).toBe(4);
  await sessions.getByText("This session").waitFor();
  await review(page, "settings-sessions");
  // The others are ended (this one has no Revoke); the phone's next request finds itself signed out.
  await sessions.getByRole("button", { name: "Revoke" }).first().click();
  await expect.poll(() => sessions.getByRole("row").count()).toBe(3);
  await sessions.getByRole("button", { name: "Revoke" }).click();
  await expect.poll(() => sessions.getByRole("row").count()).toBe(2);
  expect(await sessions.getByRole("button", { name: "Revoke" }).count()).toBe(0);
  await other.reload();
  await other.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();

  // Sign out everywhere, after saying what it does: this session ends too.
  await signIn(other, email);
  await sessions.getByRole("button", { name: "Sign out everywhere" }).click();
  await sessions.getByText("Every session ends, this one too; you sign in again here.").waitFor();
  await review(page, "settings-sign-out-everywhere");
  await sessions.getByRole("button", { name: "Sign out all sessions" }).click();
  await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
  await other.reload();
  await other.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();

  expect(errors).toEqual([]);
  await laptop.close();
  await phone.close();
});

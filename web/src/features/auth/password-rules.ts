/** The API's NewPasswordSchema, checked before sending so most mistakes never leave the page. */
export function meetsPasswordRules(password: string): boolean {
  return password.length >= 8 && password.length <= 128 && /\d/.test(password) && /[A-Z]/.test(password);
}

export const looksLikeEmail = (value: string): boolean => /^\S+@\S+\.\S+$/.test(value.trim());

/**
 * The token of an e-mailed link (`/verify-email#token=…`, `/reset-password#token=…`). It travels in
 * the fragment, which browsers never send to a server, and this page POSTs it in a body.
 */
export function emailLinkToken(hash: string = window.location.hash): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  return token && token.length <= 256 ? token : null;
}

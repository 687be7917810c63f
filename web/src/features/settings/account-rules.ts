/** The API's rules for a new password (NewPasswordSchema): 8–128 characters with a digit and a capital letter. */
export function meetsPasswordRules(password: string): boolean {
  return password.length >= 8 && password.length <= 128 && /\d/.test(password) && /[A-Z]/.test(password);
}

/** The API's e-mail check is stricter; this catches typos before a round trip. */
export const looksLikeEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) && value.trim().length <= 254;

import type { UserLocale } from "../../db/schema";

/** A rendered message: plain text and a simple HTML alternative with the same content. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface EmailParts {
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** A call to action: a button in HTML, the bare URL on its own line in text. */
  action?: { label: string; url: string };
  footer: string;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/**
 * Builds both parts from plain strings. Every value is escaped in the HTML part (a user's full
 * name is tenant input), and the action URL must be http(s), so no `javascript:` link is ever sent.
 */
export function renderEmail(parts: EmailParts, locale: UserLocale): EmailContent {
  if (parts.action && !/^https?:\/\//i.test(parts.action.url)) throw new Error("e-mail links must be http(s) URLs");
  const text = [parts.greeting, "", ...parts.paragraphs.flatMap((p) => [p, ""]), ...(parts.action ? [`${parts.action.label}:`, parts.action.url, ""] : []), "--", parts.footer].join("\n");
  const button = parts.action
    ? `<p><a href="${escapeHtml(parts.action.url)}" style="display:inline-block;padding:10px 18px;background:#1a56db;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(parts.action.label)}</a></p>` +
      `<p style="font-size:12px;color:#555">${escapeHtml(parts.action.url)}</p>`
    : "";
  const html =
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head>` +
    `<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#111">` +
    `<p>${escapeHtml(parts.greeting)}</p>` +
    parts.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("") +
    button +
    `<hr><p style="font-size:12px;color:#555">${escapeHtml(parts.footer)}</p></body></html>`;
  return { subject: parts.subject, text, html };
}

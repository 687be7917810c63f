/**
 * The e-mail layer other services call: `sendEmail(ctx, { to, userId, kind, subject, text, html })`
 * (build subject/text/html with `renderEmail`, which escapes every value for the HTML part).
 * Which transport carries it is configuration (EMAIL_TRANSPORT); see delivery.ts for retries.
 */
export { deliverDueEmails, deliverEmail, sendEmail, type DeliveryStatus, type OutgoingEmail } from "./delivery";
export { escapeHtml, renderEmail, type EmailContent, type EmailParts } from "./layout";

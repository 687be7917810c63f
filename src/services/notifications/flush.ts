import { NotificationsRepository, usersWithDueNotifications, type PendingNotificationRow } from "../../db/repositories/notifications.repository";
import { ProfileRepository } from "../../db/repositories/profile.repository";
import type { NotificationKind, UserLocale } from "../../db/schema";
import { log } from "../../lib/logger";
import type { ServiceContext } from "../context";
import { renderEmail, sendEmail, type OutgoingEmail } from "../email";

/** At most this many lines go into one e-mail; the rest wait for the next flush. */
export const MAX_LINES_PER_EMAIL = 200;
export const DIGEST_KIND = "notification.digest";

const HEADINGS: Record<UserLocale, Record<NotificationKind, string>> = {
  en: {
    run_failed: "Processing runs that failed",
    credential_needs_reauth: "Connections that need to be reconnected",
    quota_nearly_used: "Quotas nearly used up",
    webhook_endpoint_disabled: "Webhook endpoints that were disabled",
  },
  ru: {
    run_failed: "Обработки, завершившиеся ошибкой",
    credential_needs_reauth: "Подключения, которые нужно переподключить",
    quota_nearly_used: "Почти исчерпанные квоты",
    webhook_endpoint_disabled: "Отключённые адреса вебхуков",
  },
};

const TEXT: Record<UserLocale, { subject: (n: number) => string; greeting: string; footer: string }> = {
  en: {
    subject: (n) => (n === 1 ? "Lecture Publisher: 1 notification" : `Lecture Publisher: ${n} notifications`),
    greeting: "Hello,",
    footer: "You get these e-mails because of your notification settings (notifications.email in your configuration).",
  },
  ru: {
    subject: (n) => `Lecture Publisher: уведомлений — ${n}`,
    greeting: "Здравствуйте!",
    footer: "Эти письма приходят согласно настройкам уведомлений (notifications.email в вашей конфигурации).",
  },
};

/** One e-mail with all of a user's pending lines, grouped by kind (every value is escaped by renderEmail). */
export function composeDigest(user: { id: string; email: string; locale: UserLocale }, rows: PendingNotificationRow[]): OutgoingEmail {
  const groups = new Map<NotificationKind, string[]>();
  for (const row of rows) groups.set(row.kind, [...(groups.get(row.kind) ?? []), row.summary]);
  const paragraphs = [...groups].flatMap(([kind, lines]) => [`${HEADINGS[user.locale][kind]} (${lines.length}):`, ...lines.map((l) => `• ${l}`)]);
  const content = renderEmail({ subject: TEXT[user.locale].subject(rows.length), greeting: TEXT[user.locale].greeting, paragraphs, footer: TEXT[user.locale].footer }, user.locale);
  return { ...content, to: user.email, userId: user.id, kind: DIGEST_KIND };
}

export type SendDigest = (email: OutgoingEmail) => Promise<unknown>;

/**
 * Sends every user whose oldest pending line is at least one batch window old all their pending
 * lines as one e-mail, then marks them sent. `sendEmail` stores the message before it answers
 * (and retries it itself), so a line is marked sent only once its e-mail cannot be lost; if
 * storing fails, the lines stay pending for the next flush.
 */
export async function flushNotifications(ctx: ServiceContext, send?: SendDigest, maxUsers = 100): Promise<{ sent: number; failed: number }> {
  const deliver: SendDigest = send ?? ((email) => sendEmail(ctx, email));
  const now = ctx.clock.now();
  const dueBefore = new Date(now.getTime() - ctx.config.NOTIFICATION_BATCH_WINDOW_SECONDS * 1000);
  let sent = 0;
  let failed = 0;
  for (const userId of await usersWithDueNotifications(ctx.db, dueBefore, maxUsers)) {
    const repo = new NotificationsRepository(ctx.db, userId);
    const [rows, user] = await Promise.all([repo.unsent(MAX_LINES_PER_EMAIL), new ProfileRepository(ctx.db, userId).get()]);
    if (rows.length === 0 || !user) continue;
    try {
      await deliver(composeDigest(user, rows));
      await repo.markSent(
        rows.map((r) => r.id),
        ctx.clock.now(),
      );
      sent++;
    } catch (error) {
      failed++;
      log.warn("sending a notification e-mail failed; its lines stay pending", { userId, error });
    }
  }
  return { sent, failed };
}

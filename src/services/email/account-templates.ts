import type { UserLocale } from "../../db/schema";
import { renderEmail, type EmailContent } from "./layout";

/** The account e-mails, in English and Russian (the user's `locale`). */
interface Recipient {
  fullName: string | null;
  locale: UserLocale;
}

const PRODUCT = "Lecture Publisher";

const greeting = (r: Recipient): string =>
  r.locale === "ru" ? (r.fullName ? `Здравствуйте, ${r.fullName}!` : "Здравствуйте!") : r.fullName ? `Hello ${r.fullName},` : "Hello,";

const footer = (locale: UserLocale): string =>
  locale === "ru"
    ? `Это письмо отправлено автоматически сервисом ${PRODUCT}. Если вы его не ждали, просто проигнорируйте его.`
    : `This message was sent automatically by ${PRODUCT}. If you did not expect it, you can ignore it.`;

const hours = (seconds: number): number => Math.max(1, Math.round(seconds / 3_600));
const minutes = (seconds: number): number => Math.max(1, Math.round(seconds / 60));

export function verifyEmailMessage(r: Recipient, input: { url: string; ttlSeconds: number; isChange: boolean }): EmailContent {
  if (r.locale === "ru") {
    return renderEmail(
      {
        subject: input.isChange ? `Подтвердите новый адрес — ${PRODUCT}` : `Подтвердите адрес электронной почты — ${PRODUCT}`,
        greeting: greeting(r),
        paragraphs: [
          input.isChange
            ? "Вы попросили сменить адрес электронной почты вашего аккаунта на этот. Новый адрес начнёт действовать, как только вы его подтвердите."
            : "Спасибо за регистрацию. Подтвердите, пожалуйста, ваш адрес электронной почты.",
          `Ссылка действует ${hours(input.ttlSeconds)} ч и срабатывает один раз.`,
        ],
        action: { label: "Подтвердить адрес", url: input.url },
        footer: footer(r.locale),
      },
      r.locale,
    );
  }
  return renderEmail(
    {
      subject: input.isChange ? `Confirm your new e-mail address — ${PRODUCT}` : `Confirm your e-mail address — ${PRODUCT}`,
      greeting: greeting(r),
      paragraphs: [
        input.isChange
          ? "You asked to move your account to this address. The new address takes effect once you confirm it."
          : "Thanks for signing up. Please confirm your e-mail address.",
        `The link works once and expires in ${hours(input.ttlSeconds)} hours.`,
      ],
      action: { label: "Confirm e-mail address", url: input.url },
      footer: footer(r.locale),
    },
    r.locale,
  );
}

export function passwordResetMessage(r: Recipient, input: { url: string; ttlSeconds: number }): EmailContent {
  if (r.locale === "ru") {
    return renderEmail(
      {
        subject: `Сброс пароля — ${PRODUCT}`,
        greeting: greeting(r),
        paragraphs: [
          "Кто-то (надеемся, вы) запросил сброс пароля для вашего аккаунта.",
          `Ссылка действует ${minutes(input.ttlSeconds)} минут и срабатывает один раз. После сброса все открытые сеансы будут завершены.`,
          "Если вы не запрашивали сброс, ничего делать не нужно: пароль останется прежним.",
        ],
        action: { label: "Задать новый пароль", url: input.url },
        footer: footer(r.locale),
      },
      r.locale,
    );
  }
  return renderEmail(
    {
      subject: `Reset your password — ${PRODUCT}`,
      greeting: greeting(r),
      paragraphs: [
        "Someone (hopefully you) asked to reset the password of your account.",
        `The link works once and expires in ${minutes(input.ttlSeconds)} minutes. Resetting signs out every session.`,
        "If you did not ask for this, do nothing: your password stays as it is.",
      ],
      action: { label: "Choose a new password", url: input.url },
      footer: footer(r.locale),
    },
    r.locale,
  );
}

/** Sent instead of a second account when someone registers with an address that already has one. */
export function registrationAttemptMessage(r: Recipient, input: { resetUrl: string }): EmailContent {
  if (r.locale === "ru") {
    return renderEmail(
      {
        subject: `Попытка регистрации с вашим адресом — ${PRODUCT}`,
        greeting: greeting(r),
        paragraphs: [
          "Кто-то попытался зарегистрироваться с этим адресом, но у вас уже есть аккаунт, поэтому новый не создан.",
          "Если это были вы и вы не помните пароль, его можно сбросить.",
        ],
        action: { label: "Сбросить пароль", url: input.resetUrl },
        footer: footer(r.locale),
      },
      r.locale,
    );
  }
  return renderEmail(
    {
      subject: `Someone tried to sign up with your address — ${PRODUCT}`,
      greeting: greeting(r),
      paragraphs: [
        "Someone tried to create an account with this address. You already have one, so no new account was created.",
        "If it was you and you forgot your password, you can reset it.",
      ],
      action: { label: "Reset password", url: input.resetUrl },
      footer: footer(r.locale),
    },
    r.locale,
  );
}

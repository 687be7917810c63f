import { z } from "@hono/zod-openapi";
import type { UserRow } from "../../db/repositories/accounts.repository";
import { USER_LOCALES } from "../../db/schema";

export const EmailSchema = z.email({ message: "must be a valid email address" }).max(254).openapi({ example: "lecturer@example.edu" });

/** LEAP's rules: 8+ characters with at least one digit and one uppercase letter. */
export const NewPasswordSchema = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(128, "must be at most 128 characters")
  .regex(/\d/, "must contain at least one digit")
  .regex(/[A-Z]/, "must contain at least one uppercase letter")
  .openapi({ example: "Lecture2026!" });

export const PasswordSchema = z.string().min(1).max(128);

export const TimezoneSchema = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "must be an IANA time zone such as Europe/Moscow")
  .openapi({ example: "Europe/Moscow" });

export const LocaleSchema = z.enum(USER_LOCALES).openapi({ description: "Language of the e-mails the user gets (en, ru)" });

export const UserSchema = z
  .object({
    id: z.string().openapi({ example: "01JD0Z5N6W4X8T7C2V1B9QK3HA" }),
    email: z.string(),
    full_name: z.string().nullable(),
    role: z.enum(["user", "admin"]),
    timezone: z.string(),
    is_active: z.boolean(),
    is_verified: z.boolean(),
    email_verified: z.boolean().openapi({ description: "Whether `email` was confirmed by following an e-mailed link (same as LEAP's is_verified)" }),
    email_verified_at: z.string().nullable().openapi({ format: "date-time" }),
    pending_email: z
      .string()
      .nullable()
      .openapi({ description: "An e-mail change waiting for its verification link to be followed; `email` stays the sign-in address until then" }),
    locale: LocaleSchema,
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
    last_login_at: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("User");

export function toUserResponse(user: UserRow): z.infer<typeof UserSchema> {
  return {
    id: user.id,
    email: user.email,
    full_name: user.fullName,
    role: user.role,
    timezone: user.timezone,
    is_active: user.isActive,
    is_verified: user.isVerified,
    email_verified: user.isVerified,
    email_verified_at: user.emailVerifiedAt?.toISOString() ?? null,
    pending_email: user.pendingEmail,
    locale: user.locale,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
  };
}

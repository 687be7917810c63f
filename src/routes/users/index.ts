import type { UserConfigRow } from "../../db/repositories/user-config.repository";
import type { UserConfigData } from "../../services/config/defaults";
import * as userConfig from "../../services/config/user-config.service";
import { serviceContext } from "../../services/context";
import * as configRoutes from "./config.routes";
import * as quotaRoutes from "./quota.routes";
import { quotaHistory, quotaStatus } from "../../services/quotas/quota-status";
import * as users from "../../services/users/users.service";
import { linkBase } from "../../services/auth/email-links";
import { createRouter } from "../router";
import * as routes from "./users.routes";
import { toUserResponse } from "./users.schemas";

const toConfigResponse = ({ row, effective }: { row: UserConfigRow; effective: UserConfigData }) => ({
  user_id: row.userId,
  config_data: effective as unknown as Record<string, unknown>,
  overrides: row.configData,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

export const usersRouter = createRouter()
  .openapi(quotaRoutes.getQuota, async (c) => c.json(await quotaStatus(serviceContext(c.env), c.get("auth").userId), 200))
  .openapi(quotaRoutes.getQuotaHistory, async (c) =>
    c.json({ items: await quotaHistory(serviceContext(c.env), c.get("auth").userId, c.req.valid("query").months) }, 200),
  )
  .openapi(configRoutes.getConfig, async (c) => c.json(toConfigResponse(await userConfig.getUserConfig(serviceContext(c.env), c.get("auth"))), 200))
  .openapi(configRoutes.patchConfig, async (c) =>
    c.json(toConfigResponse(await userConfig.patchUserConfig(serviceContext(c.env), c.get("auth"), c.req.valid("json"))), 200),
  )
  .openapi(configRoutes.resetConfig, async (c) =>
    c.json(toConfigResponse(await userConfig.resetUserConfig(serviceContext(c.env), c.get("auth"))), 200),
  )
  // The row read with the session check: no second query for the caller's own profile.
  .openapi(routes.getMe, (c) => c.json(toUserResponse(c.get("user")), 200))
  .openapi(routes.patchMe, async (c) => {
    const body = c.req.valid("json");
    const user = await users.updateMe(serviceContext(c.env), c.get("auth"), {
      email: body.email,
      fullName: body.full_name,
      timezone: body.timezone,
      locale: body.locale,
      currentPassword: body.current_password,
      linkBase: linkBase(c.get("config"), new URL(c.req.url).origin),
    });
    return c.json(toUserResponse(user), 200);
  })
  .openapi(routes.changePassword, async (c) => {
    const body = c.req.valid("json");
    const result = await users.changePassword(serviceContext(c.env), c.get("auth"), {
      currentPassword: body.current_password,
      newPassword: body.new_password,
    });
    return c.json({ message: "Password changed", revoked_sessions: result.revokedSessions }, 200);
  })
  .openapi(routes.deleteMe, async (c) => {
    await users.deleteAccount(serviceContext(c.env), c.get("auth"), c.req.valid("json").password);
    return c.json({ message: "Account deletion started; stored files are removed in the background" }, 202);
  });

import { serviceContext } from "../../services/context";
import * as users from "../../services/users/users.service";
import { createRouter } from "../router";
import * as routes from "./users.routes";
import { toUserResponse } from "./users.schemas";

export const usersRouter = createRouter()
  .openapi(routes.getMe, async (c) => {
    const user = await users.getMe(serviceContext(c.env), c.get("auth"));
    return c.json(toUserResponse(user), 200);
  })
  .openapi(routes.patchMe, async (c) => {
    const body = c.req.valid("json");
    const user = await users.updateMe(serviceContext(c.env), c.get("auth"), {
      email: body.email,
      fullName: body.full_name,
      timezone: body.timezone,
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

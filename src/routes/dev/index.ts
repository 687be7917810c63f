import { listOutbox } from "../../services/email/dev-outbox";
import { serviceContext } from "../../services/context";
import { createRouter } from "../router";
import * as routes from "./outbox.routes";

export const devRouter = createRouter().openapi(routes.listOutbox, async (c) => {
  const query = c.req.valid("query");
  const items = await listOutbox(serviceContext(c.env), { to: query.to, limit: query.limit });
  return c.json({ items }, 200);
});

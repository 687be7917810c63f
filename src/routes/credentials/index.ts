import type { CredentialRow } from "../../db/repositories/credentials.repository";
import { serviceContext } from "../../services/context";
import * as service from "../../services/credentials/credentials.service";
import { credentialsStatus } from "../../services/credentials/credentials-status";
import { reencryptCredentials } from "../../services/credentials/reencrypt";
import { testCredential } from "../../services/credentials/test-connection";
import { createRouter } from "../router";
import * as routes from "./credentials.routes";

const toCredentialResponse = (r: CredentialRow) => ({
  id: r.id,
  platform: r.platform,
  account_name: r.accountName,
  hint: r.hint,
  is_active: r.isActive,
  needs_reauth: r.needsReauth,
  status_reason: r.statusReason,
  last_used_at: r.lastUsedAt?.toISOString() ?? null,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});

export const credentialsRouter = createRouter()
  .openapi(routes.list, async (c) => {
    const items = await service.listCredentials(serviceContext(c.env), c.get("auth"), c.req.valid("query").platform);
    return c.json(items.map(toCredentialResponse), 200);
  })
  .openapi(routes.create, async (c) => {
    const body = c.req.valid("json");
    const row = await service.createCredential(serviceContext(c.env), c.get("auth"), {
      platform: body.platform,
      accountName: body.account_name,
      credentials: body.credentials,
    });
    return c.json(toCredentialResponse(row), 201);
  })
  // Before /{id}, so "status" is never read as an id.
  .openapi(routes.status, async (c) => {
    return c.json(await credentialsStatus(serviceContext(c.env), c.get("auth")), 200);
  })
  .openapi(routes.get, async (c) => {
    const row = await service.getCredential(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.json(toCredentialResponse(row), 200);
  })
  .openapi(routes.update, async (c) => {
    const body = c.req.valid("json");
    const row = await service.updateCredential(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, {
      accountName: body.account_name,
      isActive: body.is_active,
      credentials: body.credentials,
    });
    return c.json(toCredentialResponse(row), 200);
  })
  .openapi(routes.test, async (c) => c.json(await testCredential(serviceContext(c.env), c.get("auth"), c.req.valid("param").id), 200))
  .openapi(routes.remove, async (c) => {
    await service.deleteCredential(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.body(null, 204);
  });

export const adminCredentialsRouter = createRouter().openapi(routes.reencrypt, async (c) =>
  c.json(await reencryptCredentials(serviceContext(c.env), c.req.valid("query").limit), 200),
);

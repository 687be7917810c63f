import type { SourceRow } from "../../db/repositories/sources.repository";
import { serviceContext } from "../../services/context";
import * as service from "../../services/sources/sources.service";
import { syncManySources, syncZoomSource } from "../../services/zoom/sync";
import { createRouter } from "../router";
import * as routes from "./sources.routes";

const toSourceResponse = (s: SourceRow, origin: string) => ({
  id: s.id,
  name: s.name,
  description: s.description,
  source_type: s.sourceType,
  credential_id: s.credentialId,
  config: s.config,
  is_active: s.isActive,
  last_sync_at: s.lastSyncAt?.toISOString() ?? null,
  created_at: s.createdAt.toISOString(),
  updated_at: s.updatedAt.toISOString(),
  webhook_url: s.sourceType === "ZOOM" ? `${origin}/api/v1/webhooks/zoom/${s.id}` : null,
});
const originOf = (url: string) => new URL(url).origin;

export const sourcesRouter = createRouter()
  .openapi(routes.bulkSync, async (c) => {
    const body = c.req.valid("json");
    const results = await syncManySources(serviceContext(c.env), c.get("auth"), body.source_ids, { from: body.from_date, to: body.to_date });
    return c.json({ results }, 200);
  })
  .openapi(routes.sync, async (c) => {
    const q = c.req.valid("query");
    const result = await syncZoomSource(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, { from: q.from_date, to: q.to_date });
    return c.json(result, 200);
  })
  .openapi(routes.list, async (c) => {
    const q = c.req.valid("query");
    const items = await service.listSources(serviceContext(c.env), c.get("auth"), { search: q.search, activeOnly: q.active_only });
    return c.json(items.map((s) => toSourceResponse(s, originOf(c.req.url))), 200);
  })
  .openapi(routes.create, async (c) => {
    const body = c.req.valid("json");
    const source = await service.createSource(serviceContext(c.env), c.get("auth"), {
      name: body.name,
      description: body.description,
      sourceType: body.platform,
      credentialId: body.credential_id,
      config: body.config,
      isActive: body.is_active,
    });
    return c.json(toSourceResponse(source, originOf(c.req.url)), 201);
  })
  .openapi(routes.get, async (c) => {
    const source = await service.getSource(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.json(toSourceResponse(source, originOf(c.req.url)), 200);
  })
  .openapi(routes.update, async (c) => {
    const body = c.req.valid("json");
    const source = await service.updateSource(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, {
      name: body.name,
      description: body.description,
      credentialId: body.credential_id,
      config: body.config,
      isActive: body.is_active,
    });
    return c.json(toSourceResponse(source, originOf(c.req.url)), 200);
  })
  .openapi(routes.remove, async (c) => {
    await service.deleteSource(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.body(null, 204);
  });

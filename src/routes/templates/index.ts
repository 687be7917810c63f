import { badRequest } from "../../lib/errors";
import { serviceContext } from "../../services/context";
import * as service from "../../services/templates/templates.service";
import { createRouter } from "../router";
import { toRecordingResponse } from "../recordings/recordings.schemas";
import * as routes from "./templates.routes";
import { toTemplateInput, toTemplateResponse } from "./templates.schemas";

type WithRematch = Awaited<ReturnType<typeof service.updateTemplate>>;
/** LEAP answers with the template itself; what rematching changed rides along in `rematch`. */
const withRematch = (r: WithRematch) => ({ ...toTemplateResponse(r.template), rematch: r.rematched });

// Static paths (/from-recording/...) are registered before /{id}.
export const templatesRouter = createRouter()
  .openapi(routes.list, async (c) => {
    const q = c.req.valid("query");
    const items = await service.listTemplates(serviceContext(c.env), c.get("auth"), {
      search: q.search,
      includeDrafts: q.include_drafts,
    });
    return c.json(items.map(toTemplateResponse), 200);
  })
  .openapi(routes.create, async (c) => {
    const body = c.req.valid("json");
    const created = await service.createTemplate(
      serviceContext(c.env),
      c.get("auth"),
      { ...toTemplateInput(body), name: body.name },
      c.req.valid("query").auto_rematch,
    );
    return c.json(withRematch(created), 201);
  })
  .openapi(routes.fromRecording, async (c) => {
    // LEAP sent these as query parameters; the body's value wins where both are given.
    // queryFormOf validates each field with the body's own schema; its static type is a plain record.
    const query = c.req.valid("query") as { name?: string; description?: string | null; match_pattern?: string; match_source?: boolean; match_source_id?: boolean };
    const body = c.req.valid("json") ?? {};
    const name = body.name ?? query.name;
    if (!name) throw badRequest("name is required (in the JSON body, or in the query as LEAP sent it)", [{ path: "name", message: "Required", location: "json" }]);
    const created = await service.createTemplateFromRecording(serviceContext(c.env), c.get("auth"), c.req.valid("param").recording_id, {
      name,
      description: body.description !== undefined ? body.description : query.description,
      matchPattern: body.match_pattern ?? query.match_pattern,
      matchSource: body.match_source ?? query.match_source ?? query.match_source_id ?? false,
    });
    return c.json(withRematch(created), 201);
  })
  .openapi(routes.previewRules, async (c) => {
    const body = c.req.valid("json");
    const p = await service.previewRules(serviceContext(c.env), c.get("auth"), body.matching_rules, { templateId: body.template_id, limit: body.limit });
    return c.json({ total_checked: p.checked, will_match_count: p.matches.length, will_match: p.matches.map((r) => toRecordingResponse(r, [])) }, 200);
  })
  .openapi(routes.get, async (c) => {
    const template = await service.getTemplate(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.json(toTemplateResponse(template), 200);
  })
  .openapi(routes.update, async (c) => {
    const updated = await service.updateTemplate(
      serviceContext(c.env),
      c.get("auth"),
      c.req.valid("param").id,
      toTemplateInput(c.req.valid("json")),
      c.req.valid("query").auto_rematch,
    );
    return c.json(withRematch(updated), 200);
  })
  .openapi(routes.activate, async (c) => {
    const updated = await service.updateTemplate(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, { isActive: true }, true);
    return c.json(withRematch(updated), 200);
  })
  .openapi(routes.deactivate, async (c) => {
    const updated = await service.updateTemplate(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, { isActive: false }, false);
    return c.json(withRematch(updated), 200);
  })
  .openapi(routes.remove, async (c) => {
    await service.deleteTemplate(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(routes.stats, async (c) => {
    const s = await service.templateStats(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.json(
      { template_id: s.template.id, template_name: s.template.name, total_recordings: s.total, by_status: s.byStatus, is_active: s.template.isActive },
      200,
    );
  })
  .openapi(routes.preview, async (c) => {
    const q = c.req.valid("query");
    const p = await service.previewTemplate(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, {
      onlySkipped: q.only_skipped,
      sourceId: q.source_id,
      limit: q.limit,
    });
    return c.json(
      {
        template_id: p.template.id,
        total_checked: p.checked,
        will_match_count: p.matches.length,
        will_match: p.matches.map((r) => toRecordingResponse(r, [])),
      },
      200,
    );
  })
  .openapi(routes.rematch, async (c) => {
    const { template, result } = await service.explicitRematch(
      serviceContext(c.env),
      c.get("auth"),
      c.req.valid("param").id,
      c.req.valid("query").only_unmapped,
    );
    const message = result.continued ? `Checked ${result.checked} recordings (${result.changed} changed); the rest continue in the background` : `Checked ${result.checked} recordings; ${result.changed} changed`;
    return c.json({ message, template_id: template.id, template_name: template.name, only_unmapped: c.req.valid("query").only_unmapped, rematch: result }, 200);
  });

import { serviceContext } from "../../services/context";
import { runBulk } from "../../services/recordings/bulk";
import * as config from "../../services/recordings/recording-config.service";
import * as service from "../../services/recordings/recordings.service";
import { importFromUrl } from "../../services/recordings/url-import.service";
import { createRouter } from "../router";
import * as configRoutes from "./config.routes";
import { toRecordingDetail } from "./recording-detail.schemas";
import * as routes from "./recordings.routes";
import { toBulkSelection, toListFilters, toRecordingResponse, toRepositoryFilters } from "./recordings.schemas";

type ConfigView = Awaited<ReturnType<typeof config.recordingConfig>>;
const toConfigResponse = (view: ConfigView) => ({
  recording_id: view.recording.id,
  template_id: view.template?.id ?? null,
  template_name: view.template?.name ?? null,
  has_manual_override: view.overrides !== null && Object.keys(view.overrides).length > 0,
  overrides: view.overrides as Record<string, unknown> | null,
  effective_config: view.effective as unknown as Record<string, unknown>,
  sources: view.sources,
});

// Static paths (/bulk/...) are registered before /{id}/... so they are never shadowed (⚠ in LEAP).
export const recordingsRouter = createRouter()
  .openapi(routes.bulkDelete, async (c) => {
    const body = c.req.valid("json");
    const ctx = serviceContext(c.env);
    const auth = c.get("auth");
    const selection = toBulkSelection(body);
    const result = await runBulk(ctx, auth, selection, body.limit, async (id) => {
      await service.softDeleteRecording(ctx, auth, id);
      return "done";
    });
    return c.json(result, 200);
  })
  .openapi(routes.bulkRestore, async (c) => {
    const body = c.req.valid("json");
    const ctx = serviceContext(c.env);
    const auth = c.get("auth");
    const filters = body.filters ? { ...toRepositoryFilters(body.filters), includeDeleted: true } : undefined;
    const selection = body.recording_ids ? { recordingIds: body.recording_ids } : { filters: filters! };
    const result = await runBulk(ctx, auth, selection, body.limit, async (id) => {
      await service.restoreRecording(ctx, auth, id);
      return "done";
    });
    return c.json(result, 200);
  })
  .openapi(routes.importUrl, async (c) => {
    const body = c.req.valid("json");
    const recording = await importFromUrl(serviceContext(c.env), c.get("auth"), {
      url: body.url,
      displayName: body.display_name,
      startTime: body.start_time ? new Date(body.start_time) : undefined,
    });
    return c.json(toRecordingResponse({ ...recording, sourceType: "URL" }, []), 201);
  })
  .openapi(routes.list, async (c) => {
    const q = c.req.valid("query");
    const { total, items, targets } = await service.listRecordings(serviceContext(c.env), c.get("auth"), {
      filters: toListFilters(q),
      page: q.page,
      perPage: q.per_page,
      orderBy: q.order_by,
      order: q.order,
    });
    return c.json(
      {
        total,
        page: q.page,
        per_page: q.per_page,
        total_pages: Math.ceil(total / q.per_page),
        items: items.map((item) => toRecordingResponse(item, targets)),
      },
      200,
    );
  })
  .openapi(routes.get, async (c) => {
    const detail = await service.getRecordingDetail(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.json(toRecordingDetail(detail), 200);
  })
  .openapi(routes.patch, async (c) => {
    const body = c.req.valid("json");
    const recording = await service.updateRecording(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, {
      displayName: body.display_name,
      templateId: body.template_id,
    });
    return c.json(toRecordingResponse(recording, []), 200);
  })
  .openapi(routes.remove, async (c) => {
    const recording = await service.softDeleteRecording(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.json(toRecordingResponse(recording, []), 200);
  })
  .openapi(routes.restore, async (c) => {
    const recording = await service.restoreRecording(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.json(toRecordingResponse(recording, []), 200);
  })
  .openapi(configRoutes.getConfig, async (c) => {
    const view = await config.recordingConfig(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.json(toConfigResponse(view), 200);
  })
  .openapi(configRoutes.putConfig, async (c) => {
    const view = await config.updateRecordingOverrides(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, c.req.valid("json"));
    return c.json(toConfigResponse(view), 200);
  })
  .openapi(configRoutes.deleteConfig, async (c) => {
    const view = await config.updateRecordingOverrides(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, null);
    return c.json(toConfigResponse(view), 200);
  });

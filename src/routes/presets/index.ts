import { serviceContext } from "../../services/context";
import * as service from "../../services/presets/presets.service";
import { preparePublication } from "../../services/presets/publication";
import { createRouter } from "../router";
import * as routes from "./presets.routes";
import { toDraftPreviewResponse, toPresetInput, toPresetResponse, toPreviewResponse } from "./presets.schemas";

export const presetsRouter = createRouter()
  .openapi(routes.list, async (c) => {
    const q = c.req.valid("query");
    const items = await service.listPresets(serviceContext(c.env), c.get("auth"), { platform: q.platform, activeOnly: q.active_only });
    return c.json(items.map(toPresetResponse), 200);
  })
  .openapi(routes.previewDraft, async (c) => {
    const body = c.req.valid("json");
    const publication = await service.previewDraftPreset(serviceContext(c.env), c.get("auth"), {
      platform: body.platform,
      credentialId: body.credential_id ?? null,
      presetMetadata: body.preset_metadata,
      isActive: body.is_active ?? true,
      recordingId: body.recording_id,
    });
    return c.json(toDraftPreviewResponse(publication), 200);
  })
  .openapi(routes.create, async (c) => {
    const body = c.req.valid("json");
    const preset = await service.createPreset(serviceContext(c.env), c.get("auth"), {
      ...toPresetInput(body),
      name: body.name,
      platform: body.platform,
      credentialId: body.credential_id,
    });
    return c.json(toPresetResponse(preset), 201);
  })
  .openapi(routes.get, async (c) => {
    const preset = await service.getPreset(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.json(toPresetResponse(preset), 200);
  })
  .openapi(routes.update, async (c) => {
    const preset = await service.updatePreset(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, toPresetInput(c.req.valid("json")));
    return c.json(toPresetResponse(preset), 200);
  })
  .openapi(routes.remove, async (c) => {
    await service.deletePreset(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(routes.preview, async (c) => {
    const body = c.req.valid("json");
    const publication = await preparePublication(serviceContext(c.env), c.get("auth").userId, {
      presetId: c.req.valid("param").id,
      recordingId: body.recording_id,
      metadataOverride: body.metadata_config ?? null,
    });
    return c.json(toPreviewResponse(publication), 200);
  });

import type { RunRow } from "../../db/repositories/runs.repository";
import { serviceContext, type ServiceContext } from "../../services/context";
import { resetRecording } from "../../services/pipeline/reset";
import * as runs from "../../services/pipeline/runs.service";
import { recordingArtifact } from "../../services/recordings/artifacts.service";
import { bulkUploadRequest, platformsUploadRequest, retryExtrasRequest, retryUploadRequest, uploadRequest } from "../../services/publishing/upload-requests";
import { mergeStageParams, STAGE_ENDPOINTS, stageRunOptions } from "../../services/pipeline/stage-requests";
import { createRouter } from "../router";
import { toBulkSelection } from "../recordings/recordings.schemas";
import * as routes from "./pipeline.routes";
import { toDryRunResponse, toRunResponse } from "./pipeline.schemas";
import * as stageRoutes from "./stage-endpoints.routes";
import * as tasks from "./tasks.routes";

const runResponse = async (ctx: ServiceContext, run: RunRow) => {
  const view = await runs.runWithStages(ctx, run);
  return toRunResponse(view.run, view.stages);
};

/** Mounted under /recordings; the /bulk/… paths are registered before /{id}/… so they are never shadowed. */
export const pipelineRouter = createRouter();
for (const action of STAGE_ENDPOINTS) {
  pipelineRouter.openapi(stageRoutes.bulkStage(action), async (c) => {
    const body = c.req.valid("json") as { recording_ids?: number[]; filters?: Parameters<typeof toBulkSelection>[0]["filters"]; limit: number } & Record<string, unknown>;
    const { recording_ids: _ids, filters: _filters, limit, ...params } = body;
    const result = await runs.startRunsInBulk(serviceContext(c.env), c.get("auth"), toBulkSelection(body), limit, stageRunOptions(action, params, "bulk"));
    return c.json(result, 202);
  });
}
pipelineRouter
  .openapi(stageRoutes.bulkUpload, async (c) => {
    const ctx = serviceContext(c.env);
    const auth = c.get("auth");
    const body = c.req.valid("json");
    const presetIds = body.preset_ids ?? (body.preset_id === undefined ? undefined : [body.preset_id]);
    const { platforms } = body;
    const options =
      presetIds === undefined && platforms !== undefined
        ? (id: number) => platformsUploadRequest(ctx, auth.userId, id, platforms)
        : await bulkUploadRequest(ctx, auth.userId, presetIds, platforms);
    return c.json(await runs.startRunsInBulk(ctx, auth, toBulkSelection(body), body.limit, options), 202);
  })
  .openapi(routes.bulkProcess, async (c) => {
    const ctx = serviceContext(c.env);
    const auth = c.get("auth");
    const { dry_run: dryRun, allow_skipped: allowSkipped } = c.req.valid("query");
    const body = c.req.valid("json");
    const { recording_ids: _ids, filters: _filters, limit, ...overrides } = body;
    const selection = toBulkSelection(body);
    const options: runs.RunOptions = { trigger: "bulk", overrides, allowSkipped };
    if (dryRun) return c.json(await runs.bulkDryRun(ctx, auth.userId, selection, limit, options), 200);
    return c.json(await runs.startRunsInBulk(ctx, auth, selection, limit, options), 202);
  })
  .openapi(routes.process, async (c) => {
    const ctx = serviceContext(c.env);
    const { id } = c.req.valid("param");
    const { dry_run: dryRun, allow_skipped: allowSkipped } = c.req.valid("query");
    const options: runs.RunOptions = { trigger: "manual", overrides: c.req.valid("json") ?? {}, allowSkipped };
    if (dryRun) return c.json(toDryRunResponse(await runs.dryRun(ctx, c.get("auth").userId, id, options)), 200);
    return c.json(await runResponse(ctx, await runs.startRun(ctx, c.get("auth").userId, id, options)), 202);
  })
  .openapi(routes.bulkDownload, async (c) => {
    const body = c.req.valid("json");
    const options: runs.RunOptions = { trigger: "download", only: ["DOWNLOAD"], allowSkipped: body.allow_skipped, forceDownload: body.force };
    return c.json(await runs.startRunsInBulk(serviceContext(c.env), c.get("auth"), toBulkSelection(body), body.limit, options), 202);
  })
  .openapi(routes.download, async (c) => {
    const ctx = serviceContext(c.env);
    const { allow_skipped: allowSkipped, force } = c.req.valid("query");
    const options: runs.RunOptions = { trigger: "download", only: ["DOWNLOAD"], allowSkipped, forceDownload: force };
    return c.json(await runResponse(ctx, await runs.startRun(ctx, c.get("auth").userId, c.req.valid("param").id, options)), 202);
  })
  .openapi(routes.pause, async (c) => {
    const ctx = serviceContext(c.env);
    return c.json(await runResponse(ctx, await runs.pauseRun(ctx, c.get("auth").userId, c.req.valid("param").id)), 200);
  })
  .openapi(routes.resume, async (c) => {
    const ctx = serviceContext(c.env);
    return c.json(await runResponse(ctx, await runs.resumeRun(ctx, c.get("auth").userId, c.req.valid("param").id)), 200);
  })
  .openapi(routes.cancel, async (c) => {
    const ctx = serviceContext(c.env);
    return c.json(await runResponse(ctx, await runs.cancelActiveRun(ctx, c.get("auth").userId, c.req.valid("param").id)), 200);
  })
  .openapi(routes.retry, async (c) => {
    const ctx = serviceContext(c.env);
    return c.json(await runResponse(ctx, await runs.retryRun(ctx, c.get("auth").userId, c.req.valid("param").id)), 202);
  })
  .openapi(routes.reset, async (c) => {
    const result = await resetRecording(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").id, c.req.valid("query").delete_files);
    return c.json(result, 200);
  })
  .openapi(routes.runs, async (c) => {
    const ctx = serviceContext(c.env);
    const list = await runs.listRuns(ctx, c.get("auth").userId, c.req.valid("param").id, 20);
    return c.json({ items: await Promise.all(list.map((run) => runResponse(ctx, run))) }, 200);
  })
  .openapi(stageRoutes.getTranscript, async (c) => {
    const object = await recordingArtifact(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").id, "transcript");
    return c.json(await object.json<Record<string, unknown>>(), 200);
  })
  .openapi(stageRoutes.getTopics, async (c) => {
    const object = await recordingArtifact(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").id, "topics");
    return c.json(await object.json<Record<string, unknown>>(), 200);
  })
  .openapi(stageRoutes.getSubtitles, async (c) => {
    const { id, format } = c.req.valid("param");
    const object = await recordingArtifact(serviceContext(c.env), c.get("auth").userId, id, format);
    return new Response(object.body, {
      headers: {
        "Content-Type": format === "srt" ? "application/x-subrip; charset=utf-8" : "text/vtt; charset=utf-8",
        "Content-Disposition": `attachment; filename="recording-${id}.${format}"`,
      },
    });
  });
pipelineRouter
  .openapi(stageRoutes.uploadToPlatform, async (c) => {
    const ctx = serviceContext(c.env);
    const { id, platform } = c.req.valid("param");
    const { preset_id: presetId, allow_skipped: allowSkipped } = c.req.valid("query");
    const options = await uploadRequest(ctx, c.get("auth").userId, id, platform, presetId);
    return c.json(await runResponse(ctx, await runs.startRun(ctx, c.get("auth").userId, id, { ...options, allowSkipped: allowSkipped ?? options.allowSkipped })), 202);
  })
  .openapi(stageRoutes.retryUpload, async (c) => {
    const ctx = serviceContext(c.env);
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const platforms = Array.isArray(body) ? (body.length > 0 ? body : undefined) : body?.platforms;
    const options = await retryUploadRequest(ctx, c.get("auth").userId, id, platforms);
    return c.json(await runResponse(ctx, await runs.startRun(ctx, c.get("auth").userId, id, options)), 202);
  })
  .openapi(stageRoutes.retryExtras, async (c) => {
    const ctx = serviceContext(c.env);
    const { id, output_id: outputId } = c.req.valid("param");
    const options = await retryExtrasRequest(ctx, c.get("auth").userId, id, outputId);
    return c.json(await runResponse(ctx, await runs.startRun(ctx, c.get("auth").userId, id, options)), 202);
  });
for (const action of STAGE_ENDPOINTS) {
  pipelineRouter.openapi(stageRoutes.singleStage(action), async (c) => {
    const ctx = serviceContext(c.env);
    const { allow_skipped: allowSkipped, ...query } = c.req.valid("query") as Record<string, unknown> & { allow_skipped?: boolean };
    const params = mergeStageParams(query, (c.req.valid("json") ?? {}) as Record<string, unknown>);
    const options = stageRunOptions(action, params, "manual", allowSkipped ?? true);
    return c.json(await runResponse(ctx, await runs.startRun(ctx, c.get("auth").userId, c.req.valid("param").id, options)), 202);
  });
}

export const tasksRouter = createRouter()
  .openapi(tasks.getTask, async (c) => {
    const ctx = serviceContext(c.env);
    return c.json(await runResponse(ctx, await runs.getRun(ctx, c.get("auth").userId, c.req.valid("param").task_id)), 200);
  })
  .openapi(tasks.cancelTask, async (c) => {
    const ctx = serviceContext(c.env);
    return c.json(await runResponse(ctx, await runs.cancelRun(ctx, c.get("auth").userId, c.req.valid("param").task_id)), 200);
  });

import * as service from "../../services/automation/automation.service";
import type { JobInput } from "../../services/automation/automation.service";
import { serviceContext } from "../../services/context";
import { createRouter } from "../router";
import * as routes from "./automation.routes";
import { toJobInput, toJobResponse } from "./automation.schemas";

export const automationRouter = createRouter()
  .openapi(routes.list, async (c) => {
    const jobs = await service.listJobs(serviceContext(c.env), c.get("auth"), c.req.valid("query").active_only);
    return c.json(jobs.map(toJobResponse), 200);
  })
  .openapi(routes.create, async (c) => {
    const job = await service.createJob(serviceContext(c.env), c.get("auth"), toJobInput(c.req.valid("json")) as JobInput);
    return c.json(toJobResponse(job), 201);
  })
  .openapi(routes.get, async (c) => {
    const job = await service.getJob(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.json(toJobResponse(job), 200);
  })
  .openapi(routes.update, async (c) => {
    const job = await service.updateJob(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, toJobInput(c.req.valid("json")));
    return c.json(toJobResponse(job), 200);
  })
  .openapi(routes.remove, async (c) => {
    await service.deleteJob(serviceContext(c.env), c.get("auth"), c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(routes.runs, async (c) => {
    const items = await service.listJobRuns(serviceContext(c.env), c.get("auth"), c.req.valid("param").id, c.req.valid("query").limit);
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return c.json(
      {
        items: items.map((r) => ({ id: r.id, mode: r.mode, status: r.status, scheduled_for: iso(r.scheduledFor), started_at: r.startedAt.toISOString(), finished_at: iso(r.finishedAt), result: r.result, error: r.error })),
      },
      200,
    );
  })
  .openapi(routes.run, async (c) => {
    const ctx = serviceContext(c.env);
    const { id } = c.req.valid("param");
    const result = c.req.valid("query").dry_run ? await service.dryRunJob(ctx, c.get("auth"), id) : await service.runJobNow(ctx, c.get("auth"), id);
    return c.json(result, 200);
  });

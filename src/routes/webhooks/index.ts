import { createRoute, z } from "@hono/zod-openapi";
import { serviceContext } from "../../services/context";
import { ASSEMBLYAI_WEBHOOK_HEADER } from "../../services/pipeline/stages/transcribe";
import { receiveAssemblyWebhook } from "../../services/transcription/assembly-webhook";
import { receiveZoomWebhook } from "../../services/zoom/webhook-receiver";
import { commonErrors, errorResponse, jsonContent } from "../common/schemas";
import { createRouter } from "../router";

export const zoomWebhook = createRoute({
  method: "post",
  path: "/zoom/{source_id}",
  tags: ["Webhooks"],
  summary: "Zoom event receiver of one ZOOM source (its URL is shown on the source)",
  description:
    "Verifies `x-zm-signature` over the raw body with the Zoom credential's `webhook_secret_token` and " +
    "`x-zm-request-timestamp` (±5 min), answers `endpoint.url_validation` at once, and puts " +
    "recording.completed / transcript_completed / trashed / deleted / recovered on the pipeline queue as they came; " +
    "the consumer persists, dedupes (duplicates collapse into one event) and ingests them. An inactive source takes " +
    "no recording.completed or transcript_completed (answered `ignored`); trash, delete and recover still apply. 200 is answered only " +
    "after the queue accepted the delivery; when it cannot, 503 asks Zoom to retry. `event_id` names the event the " +
    "delivery becomes, unless it turns out to be a duplicate. A body over 64 KiB is answered 413 before it is " +
    "verified or its source looked up, as is one that would not fit in a queue message.",
  request: {
    params: z.object({ source_id: z.coerce.number().int().positive() }),
    // A plain schema (not zod): the signature covers the raw bytes, so nothing may parse them first.
    body: { content: { "application/json": { schema: { type: "object" } } } },
  },
  responses: {
    200: jsonContent(
      z.union([
        z.object({ plainToken: z.string(), encryptedToken: z.string() }),
        z.object({ status: z.enum(["accepted", "ignored"]), event_id: z.string().optional() }),
      ]),
      "Validation answer, or the event's fate",
    ),
    401: errorResponse("Missing, stale or wrong signature"),
    404: errorResponse("No webhook-enabled ZOOM source with this id"),
    503: errorResponse("The queue did not accept the delivery: not acknowledged, retry"),
    ...commonErrors,
    413: errorResponse("The body is over 64 KiB, or would not fit in one queue message"),
  },
});

export const assemblyAiWebhook = createRoute({
  method: "post",
  path: "/assemblyai",
  tags: ["Webhooks"],
  summary: "AssemblyAI job callback: wakes the run's transcription stage (authenticated by a per-run header)",
  request: {
    query: z.object({ run: z.string().max(40).optional() }),
    body: { content: { "application/json": { schema: z.object({ transcript_id: z.string().optional(), status: z.string().optional() }).openapi("AssemblyAiWebhook") } } },
  },
  responses: {
    200: jsonContent(z.object({ status: z.enum(["accepted", "ignored"]) }), "Woken, or nothing to wake"),
    401: errorResponse("Missing or wrong X-Lecture-Webhook header"),
    ...commonErrors,
  },
});

export const webhooksRouter = createRouter()
  .openapi(assemblyAiWebhook, async (c) => {
    const status = await receiveAssemblyWebhook(serviceContext(c.env), c.req.valid("query").run, c.req.header(ASSEMBLYAI_WEBHOOK_HEADER));
    return c.json({ status }, 200);
  })
  .openapi(zoomWebhook, async (c) => {
  // Already read, and capped at 64 KiB, by the body-limit middleware: this is the buffered copy.
  const rawBody = await c.req.text();
  const result = await receiveZoomWebhook(
    serviceContext(c.env),
    c.req.valid("param").source_id,
    { timestamp: c.req.header("x-zm-request-timestamp"), signature: c.req.header("x-zm-signature") },
    rawBody,
  );
  if (result.kind === "validation") return c.json(result.response, 200);
  if (result.kind === "ignored") return c.json({ status: "ignored" as const }, 200);
  return c.json({ status: "accepted" as const, event_id: result.eventId }, 200);
});

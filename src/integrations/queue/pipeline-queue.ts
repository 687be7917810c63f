import { z } from "zod";
import { STAGE_TYPES } from "../../db/schema";

/**
 * Messages on the pipeline queue carry ids only (the queue's 128 KB limit and the rule that state
 * lives in D1/R2). Every message type is validated on the way in and on the way out.
 */
export const pipelineMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("account.purge"), userId: z.string().min(1) }),
  z.object({ type: z.literal("zoom.webhook"), userId: z.string().min(1), eventId: z.string().min(1) }),
  // The one message that carries a payload: a verified Zoom delivery (a few KB, bounded by
  // QUEUE_MESSAGE_MAX_BYTES before it is sent), persisted by the consumer.
  z.object({
    type: z.literal("zoom.delivery"),
    userId: z.string().min(1),
    sourceId: z.number().int().positive(),
    deliveryId: z.string().min(1),
    receivedAt: z.number().int().nonnegative(),
    rawBody: z.string().min(1),
    /** Zoom's signature headers, checked again by the consumer against the source's secret of that moment. */
    signature: z.string().max(200).optional(),
    timestamp: z.string().max(40).optional(),
  }),
  z.object({
    type: z.literal("pipeline.stage"),
    userId: z.string().min(1),
    recordingId: z.number().int().positive(),
    runId: z.string().min(1),
    stage: z.enum(STAGE_TYPES),
  }),
  z.object({
    type: z.literal("templates.rematch"),
    userId: z.string().min(1),
    onlyUnmapped: z.boolean(),
    afterId: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal("search.index"), userId: z.string().min(1), recordingId: z.number().int().positive() }),
  z.object({ type: z.literal("search.rebuild"), userId: z.string().min(1), afterId: z.number().int().nonnegative() }),
  z.object({ type: z.literal("automation.run"), userId: z.string().min(1), jobId: z.number().int().positive(), runId: z.number().int().positive() }),
  z.object({ type: z.literal("webhook.deliver"), userId: z.string().min(1), deliveryId: z.string().min(1).max(40) }),
]);

export type PipelineMessage = z.infer<typeof pipelineMessageSchema>;

export async function enqueue(env: Env, message: PipelineMessage, delaySeconds?: number): Promise<void> {
  await env.PIPELINE.send(pipelineMessageSchema.parse(message), delaySeconds ? { delaySeconds } : undefined);
}

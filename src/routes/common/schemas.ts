import { z } from "@hono/zod-openapi";

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "NOT_FOUND" }),
      message: z.string().openapi({ example: "Recording not found" }),
      requestId: z.string().openapi({ example: "01JD0Z5N6W4X8T7C2V1B9QK3HA" }),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorEnvelopeSchema } },
});

/** Error responses shared by every route; spread into `responses` and add route-specific ones. */
export const commonErrors = {
  400: errorResponse("Invalid request (validation details in `error.details`)"),
  413: errorResponse("Request body too large"),
  429: errorResponse("Rate limit exceeded; see the Retry-After header"),
  500: errorResponse("Unexpected server error"),
};

export const authErrors = {
  ...commonErrors,
  401: errorResponse("Missing, invalid or expired access token"),
  403: errorResponse("Account deactivated or insufficient role"),
};

export { errorResponse };

export const MessageSchema = z.object({ message: z.string() }).openapi("Message");

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { AppError } from "../lib/errors";

/** Media bodies are streamed by the upload handlers, which enforce their own limits. */
const STREAMED_MEDIA = /^(video\/|audio\/|application\/octet-stream)/i;

/**
 * JSON API bodies are small; a larger one is a mistake or an attack, answered with 413. A
 * multipart form (LEAP's file upload) is parsed in memory, so it gets its own, larger cap.
 */
export const requestBodyLimit = createMiddleware<AppBindings>((c, next) => {
  const contentType = c.req.header("Content-Type") ?? "";
  if (STREAMED_MEDIA.test(contentType)) return next();
  const config = c.get("config");
  const maxSize = /^multipart\/form-data/i.test(contentType) ? config.MAX_FORM_UPLOAD_BYTES : config.MAX_JSON_BODY_BYTES;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError("PAYLOAD_TOO_LARGE", `Request body exceeds ${maxSize} bytes`);
    },
  })(c, next);
});

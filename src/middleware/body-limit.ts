import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppBindings } from "../app-types";
import { AppError } from "../lib/errors";

/** JSON API bodies are small; a larger one is a mistake or an attack, answered with 413. */
export const jsonBodyLimit = createMiddleware<AppBindings>((c, next) =>
  bodyLimit({
    maxSize: c.get("config").MAX_JSON_BODY_BYTES,
    onError: () => {
      throw new AppError("PAYLOAD_TOO_LARGE", `Request body exceeds ${c.get("config").MAX_JSON_BODY_BYTES} bytes`);
    },
  })(c, next),
);

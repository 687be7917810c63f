import { serviceContext } from "../../services/context";
import * as service from "../../services/thumbnails/thumbnails.service";
import { createRouter } from "../router";
import * as routes from "./thumbnails.routes";

const toResponse = (t: service.ThumbnailInfo) => ({
  name: t.name,
  url: `/api/v1/thumbnails/${t.name}`,
  is_template: t.is_template,
  size_bytes: t.size_bytes,
  size_kb: Math.round(t.size_bytes / 102.4) / 10,
  content_type: t.content_type,
  modified_at: t.modified_at.toISOString(),
});

export const thumbnailsRouter = createRouter()
  .openapi(routes.list, async (c) => {
    const thumbnails = await service.listThumbnails(serviceContext(c.env), c.get("auth").userId);
    return c.json({ thumbnails: thumbnails.map(toResponse) }, 200);
  })
  .openapi(routes.upload, async (c) => {
    const form = c.req.valid("form");
    const info = await service.uploadThumbnail(serviceContext(c.env), c.get("auth").userId, {
      file: form.file,
      customFilename: form.custom_filename,
    });
    return c.json(toResponse(info), 201);
  })
  .openapi(routes.put, async (c) => {
    const { info, created } = await service.putThumbnail(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").name, c.req.valid("form").file);
    return created ? c.json(toResponse(info), 201) : c.json(toResponse(info), 200);
  })
  .openapi(routes.get, async (c) => {
    const { object, source } = await service.getThumbnail(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").name, c.req.valid("query").use_template);
    return new Response(object.body, {
      headers: {
        "Content-Type": object.httpMetadata?.contentType ?? "application/octet-stream",
        "Content-Length": String(object.size),
        "Cache-Control": "private, max-age=300",
        ETag: object.httpEtag,
        "X-Thumbnail-Source": source,
      },
    });
  })
  .openapi(routes.remove, async (c) => {
    await service.deleteThumbnail(serviceContext(c.env), c.get("auth").userId, c.req.valid("param").name);
    return c.body(null, 204);
  });

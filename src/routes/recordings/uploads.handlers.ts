import type { UploadSessionRow } from "../../db/repositories/upload-sessions.repository";
import { AppError } from "../../lib/errors";
import { serviceContext } from "../../services/context";
import * as sessions from "../../services/recordings/upload-sessions.service";
import { uploadDirect } from "../../services/recordings/upload.service";
import { createRouter } from "../router";
import { toRecordingResponse } from "./recordings.schemas";
import * as routes from "./uploads.routes";

/** A raw file body streams to R2, which needs its length up front: no Content-Length, no upload. */
function contentLength(header: string | undefined): number {
  if (header === undefined || header.trim() === "") {
    throw new AppError("LENGTH_REQUIRED", "Content-Length is required for a file body");
  }
  const length = Number(header);
  if (!/^\d+$/.test(header.trim()) || !Number.isSafeInteger(length)) throw new AppError("BAD_REQUEST", "Content-Length must be a whole number of bytes");
  return length;
}

function toSessionResponse(s: UploadSessionRow) {
  const count = sessions.partCount(s);
  const uploaded = Object.keys(s.parts).map(Number).sort((a, b) => a - b);
  const have = new Set(uploaded);
  return {
    id: s.id,
    recording_id: s.recordingId,
    status: s.status,
    size: s.totalSize,
    part_size: s.partSize,
    part_count: count,
    uploaded_parts: uploaded,
    missing_parts: Array.from({ length: count }, (_, i) => i + 1).filter((n) => !have.has(n)),
    received_bytes: Object.values(s.parts).reduce((sum, p) => sum + p.size, 0),
  };
}

/** Registered before the `/{id}` routes so `/uploads/...` is never read as a recording id. */
export const uploadsRouter = createRouter()
  .openapi(routes.direct, async (c) => {
    const query = c.req.valid("query");
    const ctx = serviceContext(c.env);
    const isForm = /^multipart\/form-data/i.test(c.req.header("Content-Type") ?? "");
    let recording;
    if (isForm) {
      const form = c.req.valid("form");
      const file = typeof form === "object" ? form.file : undefined;
      if (!file) throw new AppError("BAD_REQUEST", "The form needs a `file` field");
      recording = await uploadDirect(ctx, c.get("auth"), {
        displayName: query.display_name,
        filename: query.filename ?? (file.name || null),
        body: file.stream(),
        contentLength: file.size,
      });
    } else {
      const body = c.req.raw.body;
      if (!body) throw new AppError("BAD_REQUEST", "The request has no file body");
      recording = await uploadDirect(ctx, c.get("auth"), {
        displayName: query.display_name,
        filename: query.filename ?? null,
        body,
        contentLength: contentLength(c.req.header("Content-Length")),
      });
    }
    return c.json(toRecordingResponse(recording, []), 201);
  })
  .openapi(routes.createSession, async (c) => {
    const body = c.req.valid("json");
    const session = await sessions.createUploadSession(serviceContext(c.env), c.get("auth"), {
      displayName: body.display_name,
      filename: body.filename ?? null,
      size: body.size,
      contentType: body.content_type,
      partSize: body.part_size,
    });
    return c.json(toSessionResponse(session), 201);
  })
  .openapi(routes.limits, (c) => {
    const limits = sessions.uploadLimits(serviceContext(c.env));
    return c.json(
      {
        max_size: limits.maxSize,
        min_part_size: limits.minPartSize,
        max_part_size: limits.maxPartSize,
        default_part_size: limits.defaultPartSize,
        max_parts: limits.maxParts,
        content_types: limits.contentTypes,
        extensions: limits.extensions,
      },
      200,
    );
  })
  .openapi(routes.getSession, async (c) => {
    const session = await sessions.getUploadSession(serviceContext(c.env), c.get("auth"), c.req.valid("param").upload_id);
    return c.json(toSessionResponse(session), 200);
  })
  .openapi(routes.putPart, async (c) => {
    const { upload_id, part_number } = c.req.valid("param");
    const body = c.req.raw.body;
    if (!body) throw new AppError("BAD_REQUEST", "The request has no part body");
    const part = await sessions.uploadPart(serviceContext(c.env), c.get("auth"), upload_id, {
      partNumber: part_number,
      body,
      contentLength: contentLength(c.req.header("Content-Length")),
    });
    return c.json({ part_number: part.partNumber, etag: part.etag, size: part.size }, 200);
  })
  .openapi(routes.complete, async (c) => {
    const recording = await sessions.completeUploadSession(serviceContext(c.env), c.get("auth"), c.req.valid("param").upload_id);
    return c.json(toRecordingResponse(recording, []), 200);
  })
  .openapi(routes.abort, async (c) => {
    await sessions.abortUploadSession(serviceContext(c.env), c.get("auth"), c.req.valid("param").upload_id);
    return c.json({ message: "Upload aborted" }, 200);
  });

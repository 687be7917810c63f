import { parseRetryAfter } from "../../../integrations/zoom/errors";
import { ByteSplitter, peekStream, pipeFixedLength } from "../../../lib/streams";
import { SNIFF_BYTES, sniffContainer } from "../../../media/sniff";
import type { DownloadAccess, DownloadKind } from "../download-source";
import { PermanentStageError, RetryableStageError } from "../stage-errors";
import type { DownloadProgress, FileProgress } from "./download-progress";

/** Whatever the headers claim, a recording starts like one (an HTML page or an error text does not). */
export async function sniffed(body: ReadableStream<Uint8Array>, kind: DownloadKind, file: FileProgress): Promise<ReadableStream<Uint8Array>> {
  const { head, stream } = await peekStream(body, SNIFF_BYTES);
  const container = sniffContainer(head);
  if (!container || (kind === "audio" && container !== "m4a" && container !== "mp4")) {
    await stream.cancel();
    throw new PermanentStageError(`The source did not send a recording (the ${kind} is not an MP4, M4A, MOV or WebM file)`);
  }
  file.container = container;
  return stream;
}

/** Splits one whole-file body into the equal parts R2 wants, saving progress after each. */
export async function copyWholeBody(body: ReadableStream<Uint8Array>, multipart: R2MultipartUpload, file: FileProgress, saveProgress: () => Promise<void>): Promise<void> {
  const reader = body.getReader();
  const splitter = new ByteSplitter(reader);
  const { total, part_size: partSize } = file as Required<Pick<FileProgress, "total" | "part_size">>;
  try {
    while ((file.offset ?? 0) < total) {
      const offset = file.offset ?? 0;
      const size = Math.min(partSize, total - offset);
      const partNumber = offset / partSize + 1;
      const part = await pipeFixedLength(splitter.next(size), size, (readable) => multipart.uploadPart(partNumber, readable));
      file.parts = [...(file.parts ?? []).filter((p) => p.partNumber !== partNumber), { partNumber, etag: part.etag }];
      file.offset = offset + size;
      await saveProgress();
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Classifies the source's answer to a ranged GET; returns the file's total size and whether the
 * answer is a range, only when the body is the bytes asked for.
 */
export async function checkResponse(response: Response, via: DownloadAccess["via"], file: FileProgress, progress: DownloadProgress): Promise<{ total: number; ranged: boolean }> {
  const refuse = async (error: Error): Promise<never> => {
    await response.body?.cancel();
    throw error;
  };
  const offset = file.offset ?? 0;
  if (response.status === 401 || response.status === 403) {
    if (via === "webhook") {
      progress.avoid_webhook_token = true; // expired webhook token: resolve through the API next time
      return refuse(new RetryableStageError("The webhook download token expired; switching to the API", 0));
    }
    // A Zoom API token is fetched afresh on every attempt, so retry at once (still counted).
    if (via === "api") return refuse(new RetryableStageError("Zoom refused the download token", 0));
    return refuse(new PermanentStageError(`The server refused access to the URL (${response.status})`));
  }
  if (response.status === 429 || response.status >= 500) {
    return refuse(new RetryableStageError(`The source answered ${response.status}`, parseRetryAfter(response.headers.get("Retry-After"))));
  }
  if (response.status !== 206 && !(response.status === 200 && offset === 0)) {
    return refuse(new PermanentStageError(`The source answered ${response.status} to a ranged download`));
  }
  if ((response.headers.get("Content-Type") ?? "").includes("text/html")) {
    return refuse(new PermanentStageError("The source sent an HTML page instead of the recording"));
  }
  if (response.status === 206) {
    const range = /bytes (\d+)-(\d+)\/(\d+)/.exec(response.headers.get("Content-Range") ?? "");
    const total = range ? Number(range[3]) : NaN;
    if (!range || Number(range[1]) !== offset || (file.total !== undefined && total !== file.total)) {
      const listed = file.total === undefined ? "" : `the source listed ${file.total} bytes, `;
      return refuse(new PermanentStageError(`Size mismatch: ${listed}the download reports ${response.headers.get("Content-Range") ?? "no Content-Range"}`));
    }
    return { total, ranged: true };
  }
  const length = response.headers.get("Content-Length");
  const total = length === null ? NaN : Number(length);
  if (!Number.isSafeInteger(total)) return refuse(new PermanentStageError("The source sent no size (no Content-Range or Content-Length), so the copy could not be verified"));
  if (file.total !== undefined && total !== file.total) {
    return refuse(new PermanentStageError(`Size mismatch: the source listed ${file.total} bytes, the download is ${total}`));
  }
  return { total, ranged: false };
}

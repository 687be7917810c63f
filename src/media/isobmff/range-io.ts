/**
 * Byte sources and sinks for the cutter. The source is read by ranges (R2 GETs with `range`), the
 * output is written once, front to back, so it can go straight into an R2 multipart upload whose
 * non-final parts all have the same size (R2 refuses uneven parts).
 */

/** Random access to an immutable byte object. */
export interface RangeReader {
  readonly size: number;
  /** Exactly `length` bytes at `offset` (the caller keeps inside `size`). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A write-once, front-to-back output. `write` may keep a view only until its promise settles. */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<SinkResult>;
  abort(reason?: unknown): Promise<void>;
}

export interface SinkResult {
  size: number;
  /** R2 multipart parts uploaded; 0 when the object went up in a single put. */
  parts: number;
}

export class MediaSourceChangedError extends Error {
  constructor(key: string) {
    super(`source object ${key} changed or vanished while it was being read`);
    this.name = "MediaSourceChangedError";
  }
}

export function bytesRangeReader(bytes: Uint8Array): RangeReader {
  return {
    size: bytes.byteLength,
    read: async (offset, length) => {
      if (offset < 0 || offset + length > bytes.byteLength) throw new RangeError(`read ${offset}+${length} outside ${bytes.byteLength}`);
      return bytes.subarray(offset, offset + length);
    },
  };
}

/**
 * Reads an R2 object by ranges. Every GET is pinned to the etag seen by the first HEAD, so a
 * source replaced mid-cut fails loudly instead of splicing two files.
 */
export async function r2RangeReader(bucket: R2Bucket, key: string): Promise<RangeReader> {
  const head = await bucket.head(key);
  if (!head) throw new MediaSourceChangedError(key);
  const etag = head.etag;
  return {
    size: head.size,
    read: async (offset, length) => {
      if (length === 0) return new Uint8Array(0);
      const object = await bucket.get(key, { range: { offset, length }, onlyIf: { etagMatches: etag } });
      if (!object || !("body" in object)) throw new MediaSourceChangedError(key);
      const bytes = new Uint8Array(await object.arrayBuffer());
      if (bytes.byteLength !== length) throw new MediaSourceChangedError(key);
      return bytes;
    },
  };
}

export const MIN_PART_BYTES = 5 * 1024 * 1024;

export interface R2SinkOptions {
  /** Size of every non-final part (R2: at least 5 MiB, all equal). Also the single-put threshold. */
  partSize?: number;
  httpMetadata?: R2HTTPMetadata;
  customMetadata?: Record<string, string>;
}

/**
 * Collects writes into one part-sized buffer and uploads each full part before accepting more
 * (awaiting the upload is the back-pressure). Output smaller than one part is a single `put`.
 * Memory: one part buffer, whatever the total size.
 */
export function r2MultipartSink(bucket: R2Bucket, key: string, options: R2SinkOptions = {}): ByteSink {
  const partSize = options.partSize ?? 8 * 1024 * 1024;
  if (!Number.isInteger(partSize) || partSize < MIN_PART_BYTES) throw new RangeError(`partSize must be an integer >= ${MIN_PART_BYTES}`);
  const uploadOptions = { httpMetadata: options.httpMetadata, customMetadata: options.customMetadata };
  let buffer: Uint8Array | null = null;
  let filled = 0;
  let size = 0;
  let upload: R2MultipartUpload | null = null;
  const parts: R2UploadedPart[] = [];
  let finished = false;

  const flush = async (bytes: Uint8Array) => {
    upload ??= await bucket.createMultipartUpload(key, uploadOptions);
    parts.push(await upload.uploadPart(parts.length + 1, bytes));
  };

  return {
    async write(bytes) {
      if (finished) throw new Error("sink already closed");
      let at = 0;
      while (at < bytes.byteLength) {
        buffer ??= new Uint8Array(partSize);
        const take = Math.min(partSize - filled, bytes.byteLength - at);
        buffer.set(bytes.subarray(at, at + take), filled);
        filled += take;
        at += take;
        size += take;
        if (filled === partSize) {
          await flush(buffer);
          filled = 0;
        }
      }
    },
    async close() {
      if (finished) throw new Error("sink already closed");
      finished = true;
      const tail = (buffer ?? new Uint8Array(0)).subarray(0, filled);
      if (!upload) {
        await bucket.put(key, tail, uploadOptions);
        buffer = null;
        return { size, parts: 0 };
      }
      if (filled > 0) await flush(tail);
      buffer = null;
      await upload.complete(parts);
      return { size, parts: parts.length };
    },
    async abort() {
      finished = true;
      buffer = null;
      if (upload) await upload.abort();
    },
  };
}

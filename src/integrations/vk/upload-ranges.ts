/**
 * The byte ranges an OK.ru upload host (VK's video upload_url, EXTERNAL-APIS §3.2) reports for a
 * resumable upload: `start-end/total` items (inclusive ends), optionally prefixed with `bytes` and
 * separated by commas or whitespace, e.g. `0-262143/1323077` or `0-262143/1323077,524288-786431/1323077`.
 * The upload can continue from the end of the run that starts at 0; other ranges (received out of
 * order) are re-sent, which the Content-Range of each chunk makes harmless.
 */
export function contiguousPrefix(text: string): number | null {
  const ranges = [...text.matchAll(/(\d+)-(\d+)\/(\d+|\*)/g)].map((m) => [Number(m[1]), Number(m[2]) + 1] as const);
  if (ranges.length === 0) return /^\s*(bytes\s*)?$/i.test(text) ? 0 : null;
  ranges.sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [start, end] of ranges) {
    if (start > covered) break;
    covered = Math.max(covered, end);
  }
  return covered;
}

/** The `Content-Range` of one chunk: `bytes start-end/total`, end inclusive. */
export const chunkRange = (offset: number, length: number, size: number) => `bytes ${offset}-${offset + length - 1}/${size}`;

/** A filename for Content-Disposition: ASCII kept quoted, anything else also given as RFC 5987 `filename*`. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return ascii === filename ? `attachment; filename="${filename}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** One part of a multipart/form-data body: a text field, or a file streamed from elsewhere (R2). */
export type FormPart = { name: string; value: string } | { name: string; filename: string; contentType: string; size: number; body: ReadableStream<Uint8Array> };

const encoder = new TextEncoder();
const quoteSafe = (value: string) => value.replace(/"/g, "%22").replace(/\r|\n/g, " ");

/**
 * A multipart/form-data body that streams its file parts instead of buffering them (an hour of
 * audio never sits in the isolate's memory), with an exact Content-Length so providers that
 * refuse chunked uploads accept it.
 */
export function streamingForm(parts: FormPart[]): { body: ReadableStream<Uint8Array>; contentType: string; length: number } {
  const boundary = `----lecture-${crypto.randomUUID()}`;
  const pieces: Array<Uint8Array | { stream: ReadableStream<Uint8Array>; size: number }> = [];
  for (const part of parts) {
    const head =
      "value" in part
        ? `--${boundary}\r\nContent-Disposition: form-data; name="${quoteSafe(part.name)}"\r\n\r\n${part.value}\r\n`
        : `--${boundary}\r\nContent-Disposition: form-data; name="${quoteSafe(part.name)}"; filename="${quoteSafe(part.filename)}"\r\nContent-Type: ${part.contentType}\r\n\r\n`;
    pieces.push(encoder.encode(head));
    if (!("value" in part)) {
      pieces.push({ stream: part.body, size: part.size });
      pieces.push(encoder.encode("\r\n"));
    }
  }
  pieces.push(encoder.encode(`--${boundary}--\r\n`));
  const length = pieces.reduce((sum, p) => sum + (p instanceof Uint8Array ? p.byteLength : p.size), 0);
  const { readable, writable } = new FixedLengthStream(length);
  void (async () => {
    const writer = writable.getWriter();
    try {
      for (const piece of pieces) {
        if (piece instanceof Uint8Array) {
          await writer.write(piece);
          continue;
        }
        const reader = piece.stream.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          await writer.write(value);
        }
      }
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => undefined);
    }
  })();
  return { body: readable, contentType: `multipart/form-data; boundary=${boundary}`, length };
}

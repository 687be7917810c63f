// The download bench's reference (issue 17, row "1 GiB Zoom → R2 download"): the same bytes from the
// same fake Zoom, streamed by one GET into a raw R2 multipart upload with the stage's part size — no
// queue, no D1, no ranges, no checks. `GET /put?url=…&part=<bytes>` with the source's Authorization
// in `x-source-authorization`; answers {bytes, parts, ms}. Bench code, never deployed.
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const source = url.searchParams.get("url");
    const partBytes = Number(url.searchParams.get("part") ?? 16 * 1024 * 1024);
    if (!source || !Number.isSafeInteger(partBytes) || partBytes < 5 * 1024 * 1024) return new Response("bad request", { status: 400 });
    const started = Date.now();
    const response = await fetch(source, { headers: { authorization: request.headers.get("x-source-authorization") ?? "" } });
    if (!response.ok || !response.body) return new Response(`source answered ${response.status}`, { status: 502 });
    const upload = await env.MEDIA.createMultipartUpload(`reference/${crypto.randomUUID()}`);
    const parts = [];
    let buffer = new Uint8Array(partBytes);
    let filled = 0;
    let total = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      for (let offset = 0; value && offset < value.length; ) {
        const n = Math.min(partBytes - filled, value.length - offset);
        buffer.set(value.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        total += n;
        if (filled === partBytes) {
          parts.push(await upload.uploadPart(parts.length + 1, buffer));
          buffer = new Uint8Array(partBytes);
          filled = 0;
        }
      }
      if (done) break;
    }
    if (filled > 0) parts.push(await upload.uploadPart(parts.length + 1, buffer.subarray(0, filled)));
    await upload.complete(parts);
    return Response.json({ bytes: total, parts: parts.length, ms: Date.now() - started });
  },
};

/**
 * Reads at least `bytes` from the front of a stream (fewer only if it ends first) and returns
 * them together with a stream that replays them followed by the untouched rest — so a body can be
 * inspected and still be piped onward without buffering more than its first chunk.
 */
export async function peekStream(
  stream: ReadableStream<Uint8Array>,
  bytes: number,
): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.byteLength;
  }
  const head = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    head.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let replayed = false;
  const replay = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!replayed) {
        replayed = true;
        if (head.byteLength > 0) controller.enqueue(head);
        if (done) controller.close();
        return;
      }
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { head: head.subarray(0, Math.min(bytes, head.byteLength)), stream: replay };
}

/** The client's body ended before, or ran past, the length it announced. */
export class IncompleteBodyError extends Error {
  constructor(cause: unknown) {
    super("request body did not match its announced length", { cause });
    this.name = "IncompleteBodyError";
  }
}

/**
 * Pipes `body` through a FixedLengthStream of `length` bytes into `sink` (R2 needs known lengths).
 * Memory stays at one chunk. A body failure is reported as IncompleteBodyError (the client's
 * fault), anything else as the sink's own error.
 */
export async function pipeFixedLength<T>(
  body: ReadableStream<Uint8Array>,
  length: number,
  sink: (readable: ReadableStream<Uint8Array>) => Promise<T>,
): Promise<T> {
  const fixed = new FixedLengthStream(length);
  let received = 0;
  let bodyFailed = false;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      received += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const piping = body
    .pipeThrough(counter)
    .pipeTo(fixed.writable)
    .catch((error: unknown) => {
      bodyFailed = true;
      throw error;
    });
  try {
    const [result] = await Promise.all([sink(fixed.readable), piping]);
    return result;
  } catch (error) {
    // A short body closes cleanly but leaves the FixedLengthStream (and so the sink) failing.
    if (bodyFailed || received !== length) throw new IncompleteBodyError(error);
    throw error;
  }
}

/**
 * Cuts one byte stream into consecutive pieces of exact sizes without buffering more than the
 * chunk in flight: `next(n)` returns a stream of the next n bytes. Pieces must be consumed in
 * order. `received` counts bytes handed out so far.
 */
export class ByteSplitter {
  private leftover: Uint8Array | null = null;
  received = 0;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  next(size: number): ReadableStream<Uint8Array> {
    let remaining = size;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (remaining === 0) return controller.close();
        let chunk = this.leftover;
        this.leftover = null;
        if (!chunk) {
          const read = await this.reader.read();
          if (read.done) throw new IncompleteBodyError(new Error(`stream ended ${remaining} bytes early`));
          chunk = read.value;
        }
        if (chunk.byteLength > remaining) {
          this.leftover = chunk.subarray(remaining);
          chunk = chunk.subarray(0, remaining);
        }
        remaining -= chunk.byteLength;
        this.received += chunk.byteLength;
        controller.enqueue(chunk);
        if (remaining === 0) controller.close();
      },
    });
  }
}

/**
 * A tenant's webhook receiver at https://hooks.fake (and any other *.fake host the test names):
 * records every request (headers and the raw body) and answers from a script of responses per
 * host. A scripted "hang" never answers, so the sender's timeout fires; "redirect" answers 302 to
 * another host of the fake, which must never be called.
 */
export type ReceiverAnswer = { status: number; body?: string; headers?: Record<string, string> } | "hang" | "redirect" | "malformed";

export interface ReceivedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

export class FakeWebhookReceiver {
  readonly received: ReceivedRequest[] = [];
  /** Answers per host, used in order; when a host's script is empty, `fallback` answers. */
  readonly script = new Map<string, ReceiverAnswer[]>();
  fallback: ReceiverAnswer = { status: 200, body: "ok" };

  answer(host: string, ...answers: ReceiverAnswer[]): void {
    this.script.set(host, [...(this.script.get(host) ?? []), ...answers]);
  }

  to(host: string): ReceivedRequest[] {
    return this.received.filter((r) => new URL(r.url).host === host);
  }

  handle = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!url.hostname.endsWith(".fake")) throw new Error(`unexpected outbound request to ${url.host}`);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    this.received.push({ url: request.url, method: request.method, headers, body: await request.text() });
    const next = this.script.get(url.host)?.shift() ?? this.fallback;
    if (next === "hang") {
      return new Promise<Response>((_, reject) => {
        const signal = request.signal;
        signal.addEventListener("abort", () => reject(signal.reason ?? new DOMException("aborted", "AbortError")));
      });
    }
    if (next === "redirect") return new Response(null, { status: 302, headers: { Location: "https://elsewhere.fake/hook" } });
    // A body that ends mid-stream: the sender must still record the status and move on.
    if (next === "malformed") return new Response("{\"partial\":", { status: 502, headers: { "content-type": "application/json" } });
    return new Response(next.status === 204 ? null : (next.body ?? ""), { status: next.status, headers: next.headers });
  };
}

import { env } from "cloudflare:workers";
import { AwsClient } from "aws4fetch";

/**
 * Fakes of the transcription providers (EXTERNAL-APIS.md §5) and of R2's S3 endpoint serving
 * presigned GETs (§7), all answering from one scripted lecture so every provider's shape can be
 * compared after normalisation. Faults are queued per provider: each request takes the next one.
 */
export type AsrFault = "none" | "429" | "500" | "401" | "malformed" | "hang";

/** The scripted lecture: silence, then speech from 12.5 s to 61.4 s (times in seconds). */
export const SCRIPT_WORDS: Array<{ word: string; start: number; end: number }> = [
  { word: "Добрый", start: 12.5, end: 12.9 },
  { word: "день.", start: 12.9, end: 13.4 },
  { word: "Сегодня", start: 14.0, end: 14.5 },
  { word: "говорим", start: 14.5, end: 15.0 },
  { word: "о", start: 15.0, end: 15.1 },
  { word: "трансформерах.", start: 15.1, end: 16.0 },
  { word: "Механизм", start: 40.0, end: 40.6 },
  { word: "внимания", start: 40.6, end: 41.2 },
  { word: "считает", start: 41.2, end: 41.7 },
  { word: "веса,", start: 41.7, end: 42.1 },
  { word: "а", start: 42.5, end: 42.6 },
  { word: "затем", start: 42.6, end: 43.0 },
  { word: "суммирует", start: 43.0, end: 43.6 },
  { word: "значения.", start: 43.6, end: 44.3 },
  { word: "Спасибо", start: 60.5, end: 61.0 },
  { word: "всем.", start: 61.0, end: 61.4 },
];
export const SCRIPT_TEXT = SCRIPT_WORDS.map((w) => w.word).join(" ");
export const SCRIPT_SEGMENTS = [
  { id: 0, start: 12.5, end: 16.0, text: "Добрый день. Сегодня говорим о трансформерах." },
  { id: 1, start: 40.0, end: 44.3, text: "Механизм внимания считает веса, а затем суммирует значения." },
  { id: 2, start: 60.5, end: 61.4, text: "Спасибо всем." },
];
export const SCRIPT_DURATION = 75.0;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export class FakeAsr {
  readonly apiKey = "fake-asr-key-0123456789";
  readonly faults: Record<"fireworks" | "batch" | "assembly" | "openai", AsrFault[]> = { fireworks: [], batch: [], assembly: [], openai: [] };
  /** What each provider received: the form fields / JSON body (file bytes summarised by size). */
  readonly received: Array<{ provider: string; path: string; fields: Record<string, string>; fileBytes?: number; audioUrl?: string }> = [];
  /** Audio fetched through presigned URLs (key and byte count), and refused presigned fetches. */
  readonly presignedFetches: Array<{ key: string; bytes: number }> = [];
  readonly presignRefusals: string[] = [];
  /** Polls answered "processing" before a job completes. */
  pollsBeforeDone = 2;
  /** What the providers "hear": the scripted lecture unless a test sets its own. */
  script = { words: SCRIPT_WORDS, segments: SCRIPT_SEGMENTS, text: SCRIPT_TEXT, duration: SCRIPT_DURATION };
  /** When set, an AssemblyAI job ends with `status: "error"` and this reason (HTTP 200, as the real API does). */
  assemblyJobError: string | null = null;
  private readonly jobs = new Map<string, { polls: number; provider: "batch" | "assembly" }>();

  handle = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    switch (url.hostname) {
      case "r2.fake":
        return this.r2(url);
      case "audio.fireworks.fake":
        return this.fireworks(request, url);
      case "batch.fireworks.fake":
        return this.batch(request, url);
      case "assembly.fake":
        return this.assembly(request, url);
      case "openai.fake":
        return this.openai(request, url);
      default:
        return new Response("unexpected host", { status: 599 });
    }
  };

  /** R2's S3 endpoint: re-verifies the SigV4 query signature and its expiry, then serves the object. */
  private async r2(url: URL): Promise<Response> {
    const signature = url.searchParams.get("X-Amz-Signature");
    const date = url.searchParams.get("X-Amz-Date") ?? "";
    const expires = Number(url.searchParams.get("X-Amz-Expires"));
    const unsigned = new URL(url);
    for (const k of ["X-Amz-Signature", "X-Amz-Date", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-SignedHeaders"]) unsigned.searchParams.delete(k);
    const client = new AwsClient({ accessKeyId: env.R2_ACCESS_KEY_ID!, secretAccessKey: env.R2_SECRET_ACCESS_KEY!, service: "s3", region: "auto" });
    const resigned = new URL((await client.sign(new Request(unsigned, { method: "GET" }), { aws: { signQuery: true, datetime: date } })).url);
    const signedAt = Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
    const forbidden = (code: string) => {
      this.presignRefusals.push(code);
      return new Response(`<Error><Code>${code}</Code><Message>refused</Message></Error>`, { status: 403, headers: { "content-type": "application/xml" } });
    };
    if (!signature || resigned.searchParams.get("X-Amz-Signature") !== signature) return forbidden("SignatureDoesNotMatch");
    if (!(signedAt + expires * 1000 > Date.now())) return forbidden("AccessDenied");
    const [, bucket, ...rest] = decodeURIComponent(url.pathname).split("/");
    if (bucket !== "lecture-media") return forbidden("NoSuchBucket"); // R2_BUCKET_NAME in vitest.config.ts
    const key = rest.join("/");
    const object = await env.MEDIA.get(key);
    if (!object) return new Response("<Error><Code>NoSuchKey</Code></Error>", { status: 404 });
    const bytes = await object.arrayBuffer();
    this.presignedFetches.push({ key, bytes: bytes.byteLength });
    return new Response(bytes, { status: 200, headers: { "content-type": object.httpMetadata?.contentType ?? "application/octet-stream" } });
  }

  /** Applies the next queued fault; null means answer normally. */
  private async fault(provider: keyof FakeAsr["faults"], request: Request, errorBody: unknown): Promise<Response | null> {
    const fault = this.faults[provider].shift() ?? "none";
    switch (fault) {
      case "429":
        return json(429, errorBody, { "Retry-After": "1" });
      case "500":
        return json(500, errorBody);
      case "401":
        return json(401, errorBody);
      case "malformed":
        return new Response('{"text": "Добрый де', { status: 200, headers: { "content-type": "application/json" } });
      case "hang":
        return new Promise<Response>((_, reject) => request.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
      default:
        return null;
    }
  }

  private async readForm(provider: string, request: Request, url: URL) {
    const form = await request.formData();
    const fields: Record<string, string> = {};
    let fileBytes: number | undefined;
    let audioUrl: string | undefined;
    for (const [name, value] of form.entries()) {
      if (typeof value === "string") {
        fields[name] = fields[name] ? `${fields[name]},${value}` : value;
        if (name === "file") audioUrl = value;
      } else fileBytes = (await value.arrayBuffer()).byteLength;
    }
    this.received.push({ provider, path: url.pathname, fields, fileBytes, audioUrl });
    // A URL is fetched like the real service would, through the presigned GET.
    if (audioUrl) {
      const audio = await this.handle(audioUrl);
      if (!audio.ok) return { fields, error: json(400, { error: `could not download ${audioUrl}: ${audio.status}` }) };
    }
    return { fields, error: null };
  }

  private verboseJson(language: string, segmentsLeadingSpace = false) {
    return {
      task: "transcribe",
      language,
      duration: this.script.duration,
      text: this.script.text,
      words: this.script.words.map((w) => ({ ...w, probability: 0.97 })),
      segments: this.script.segments.map((s) => ({ ...s, text: segmentsLeadingSpace ? ` ${s.text}` : s.text, seek: 0, tokens: [1, 2], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.2, no_speech_prob: 0.01 })),
    };
  }

  private async fireworks(request: Request, url: URL): Promise<Response> {
    if (request.headers.get("Authorization") !== this.apiKey) return json(401, { error: "invalid api key" });
    const faulted = await this.fault("fireworks", request, { error: "upstream trouble" });
    if (faulted) return faulted;
    if (url.pathname !== "/v1/audio/transcriptions" || request.method !== "POST") return json(404, { error: "not found" });
    const { fields, error } = await this.readForm("fireworks", request, url);
    if (error) return error;
    if (fields.response_format !== "verbose_json" || !fields.timestamp_granularities?.includes("word")) return json(400, { error: "word timestamps need verbose_json" });
    return json(200, this.verboseJson("ru"));
  }

  private async batch(request: Request, url: URL): Promise<Response> {
    if (request.headers.get("Authorization") !== this.apiKey) return json(401, { error: "invalid api key" });
    const faulted = await this.fault("batch", request, { error: "busy" });
    if (faulted) return faulted;
    if (request.method === "POST" && url.pathname === "/v1/audio/transcriptions") {
      if (!url.searchParams.get("endpoint_id")) return json(400, { error: "endpoint_id is required" });
      const { error } = await this.readForm("fireworks-batch", request, url);
      if (error) return error;
      const id = `batch-${crypto.randomUUID()}`;
      this.jobs.set(id, { polls: 0, provider: "batch" });
      return json(200, { status: "submitted", batch_id: id });
    }
    const match = /^\/v1\/accounts\/([^/]+)\/batch_job\/([^/]+)$/.exec(url.pathname);
    const job = match ? this.jobs.get(match[2]!) : undefined;
    if (!match || !job) return json(404, { error: "batch job not found" });
    if (job.polls++ < this.pollsBeforeDone) return json(200, { status: "processing" });
    return json(200, { status: "completed", content_type: "application/json", body: JSON.stringify(this.verboseJson("ru")) });
  }

  private async assembly(request: Request, url: URL): Promise<Response> {
    if (request.headers.get("Authorization") !== this.apiKey) return json(401, { error: "Authentication error, API token missing/invalid" });
    const faulted = await this.fault("assembly", request, { error: "Too Many Requests" });
    if (faulted) return faulted;
    if (request.method === "POST" && url.pathname === "/v2/upload") {
      const bytes = (await request.arrayBuffer()).byteLength;
      this.received.push({ provider: "assemblyai-upload", path: url.pathname, fields: {}, fileBytes: bytes });
      return json(200, { upload_url: `https://cdn.assembly.fake/upload/${crypto.randomUUID()}` });
    }
    if (request.method === "POST" && url.pathname === "/v2/transcript") {
      const body = (await request.json()) as Record<string, unknown>;
      this.received.push({ provider: "assemblyai", path: url.pathname, fields: Object.fromEntries(Object.entries(body).map(([k, v]) => [k, JSON.stringify(v)])), audioUrl: String(body.audio_url) });
      if (!Array.isArray(body.speech_models)) return json(400, { error: "speech_models is required" });
      if (typeof body.audio_url === "string" && body.audio_url.startsWith("https://r2.fake/")) {
        const audio = await this.handle(body.audio_url);
        if (!audio.ok) return json(200, { id: "failed-download", status: "error", error: `Download error, unable to download ${body.audio_url}` });
      }
      const id = crypto.randomUUID();
      this.jobs.set(id, { polls: 0, provider: "assembly" });
      return json(200, { id, status: "queued", audio_url: body.audio_url });
    }
    const match = /^\/v2\/transcript\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && match) {
      if (match[1] === "failed-download") return json(200, { id: match[1], status: "error", error: "Download error, unable to download" });
      const job = this.jobs.get(match[1]!);
      if (!job) return json(404, { error: "Not found" });
      if (job.polls++ < this.pollsBeforeDone) return json(200, { id: match[1], status: job.polls === 1 ? "queued" : "processing" });
      if (this.assemblyJobError) return json(200, { id: match[1], status: "error", error: this.assemblyJobError });
      return json(200, {
        id: match[1],
        status: "completed",
        language_code: "ru",
        speech_model_used: "universal-3-pro",
        audio_duration: this.script.duration,
        confidence: 0.93,
        text: this.script.text,
        words: this.script.words.map((w) => ({ text: w.word, start: Math.round(w.start * 1000), end: Math.round(w.end * 1000), confidence: 0.97, speaker: null, channel: null })),
        error: null,
      });
    }
    return json(404, { error: "Not found" });
  }

  private async openai(request: Request, url: URL): Promise<Response> {
    if (request.headers.get("Authorization") !== `Bearer ${this.apiKey}`) {
      return json(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error", param: null, code: "invalid_api_key" } });
    }
    const faulted = await this.fault("openai", request, { error: { message: "Rate limit reached", type: "requests", param: null, code: null } });
    if (faulted) return faulted;
    if (url.pathname !== "/v1/audio/transcriptions") return json(404, { error: { message: "not found" } });
    const { fields } = await this.readForm("openai", request, url);
    const last = this.received.at(-1)!;
    if (!last.fileBytes) return json(400, { error: { message: "file is required", type: "invalid_request_error" } });
    if (fields["timestamp_granularities[]"] !== "word,segment" || fields.response_format !== "verbose_json") {
      return json(400, { error: { message: "timestamp_granularities requires verbose_json", type: "invalid_request_error" } });
    }
    return json(200, { ...this.verboseJson("russian", true), usage: { type: "duration", seconds: 75 } });
  }
}

/**
 * A fake of Resend's e-mail API (https://resend.com/docs/api-reference/emails/send-email) at
 * email-api.fake: `POST /emails` with `Authorization: Bearer <key>` and a JSON body
 * `{from, to[], subject, text, html, tags?}` answers 200 `{"id"}`; errors are
 * `{"statusCode","name","message"}` (401 missing/invalid key, 422 validation, 429 with
 * Retry-After, 500). An `Idempotency-Key` seen before answers the first id and delivers nothing
 * again (Resend keeps keys 24 h). Faults are queued, one per request.
 */
export type EmailApiFault = "none" | "500" | "429" | "timeout" | "garbage" | "422";

export interface DeliveredEmail {
  id: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export class FakeEmailApi {
  readonly apiKey = "re_fake_key_0123456789";
  readonly faults: EmailApiFault[] = [];
  readonly delivered: DeliveredEmail[] = [];
  requests = 0;
  private readonly byKey = new Map<string, string>();

  handles(url: URL): boolean {
    return url.hostname === "email-api.fake";
  }

  handle = async (request: Request): Promise<Response> => {
    this.requests += 1;
    const url = new URL(request.url);
    if (request.method !== "POST" || url.pathname !== "/emails") return json(404, { statusCode: 404, name: "not_found", message: "The requested endpoint does not exist." });
    if (request.headers.get("Authorization") !== `Bearer ${this.apiKey}`) {
      return json(401, { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header." });
    }
    const fault = this.faults.shift() ?? "none";
    if (fault === "timeout") {
      // Never answers; the caller's AbortSignal ends the wait.
      return new Promise<Response>((_resolve, reject) => {
        request.signal.addEventListener("abort", () => reject(request.signal.reason ?? new DOMException("aborted", "AbortError")));
      });
    }
    if (fault === "500") return json(500, { statusCode: 500, name: "internal_server_error", message: "An unexpected error occurred." });
    if (fault === "429") return json(429, { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests. You can only make 2 requests per second." }, { "Retry-After": "7" });
    const body = (await request.json()) as Omit<DeliveredEmail, "id" | "idempotencyKey">;
    if (fault === "422" || !Array.isArray(body.to) || body.to.length === 0 || typeof body.subject !== "string") {
      return json(422, { statusCode: 422, name: "validation_error", message: "Invalid `to` field." });
    }
    const key = request.headers.get("Idempotency-Key");
    const known = key === null ? undefined : this.byKey.get(key);
    if (known !== undefined) return json(200, { id: known });
    const id = crypto.randomUUID();
    if (key !== null) this.byKey.set(key, id);
    this.delivered.push({ id, idempotencyKey: key, from: body.from, to: body.to, subject: body.subject, text: body.text, html: body.html });
    if (fault === "garbage") return new Response("<html>upstream hiccup</html>", { status: 200, headers: { "content-type": "text/html" } });
    return json(200, { id });
  };
}

/**
 * Fakes of the chat-completions LLMs (EXTERNAL-APIS §6): DeepSeek at deepseek.fake/chat/completions,
 * OpenAI at openai.fake/v1/chat/completions, Fireworks at fireworks-llm.fake/inference/v1/chat/completions.
 * They answer the topics prompt in JSON mode (or LEAP's text sections without it); faults are
 * queued per provider, one per request.
 */
export type LlmFault = "none" | "429" | "500" | "402" | "401" | "empty" | "blank-lines" | "garbage";
type Name = "deepseek" | "openai" | "fireworks";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export class FakeLlm {
  readonly apiKey = "fake-llm-key-0123456789";
  readonly faults: Record<Name, LlmFault[]> = { deepseek: [], openai: [], fireworks: [] };
  readonly requests: Array<{ provider: Name; body: { model: string; messages: Array<{ role: string; content: string }>; response_format?: { type: string }; max_tokens: number } }> = [];

  /** The answer every provider gives (seconds within the scripted 75-second lecture). */
  answer = {
    summary: "Лекция о трансформерах и механизме внимания.",
    main_topic: "Механизм внимания",
    topics: [
      { start: "00:00:00", title: "Введение в трансформеры" },
      { start: "00:00:40", title: "Как считается внимание" },
      { start: "00:05:00", title: "За пределами записи" },
    ],
    questions: ["Что вычисляет слой внимания?"],
  };

  handles(url: URL): Name | null {
    if (url.hostname === "deepseek.fake" && url.pathname === "/chat/completions") return "deepseek";
    if (url.hostname === "openai.fake" && url.pathname === "/v1/chat/completions") return "openai";
    if (url.hostname === "fireworks-llm.fake" && url.pathname === "/inference/v1/chat/completions") return "fireworks";
    return null;
  }

  handle = async (request: Request, provider: Name): Promise<Response> => {
    if (request.headers.get("Authorization") !== `Bearer ${this.apiKey}`) {
      return json(401, { error: { message: "Authentication Fails, Your api key: ****6789 is invalid", type: "authentication_error", param: null, code: "invalid_request_error" } });
    }
    const body = (await request.json()) as FakeLlm["requests"][number]["body"];
    this.requests.push({ provider, body });
    const fault = this.faults[provider].shift() ?? "none";
    const error = (status: number, message: string) => json(status, { error: { message, type: "api_error", param: null, code: null } });
    if (fault === "429") return error(429, "Rate Limit Reached");
    if (fault === "500") return error(500, "Server Error");
    if (fault === "402") return error(402, "Insufficient Balance");
    if (fault === "401") return error(401, "Authentication Fails");
    const content =
      fault === "empty"
        ? ""
        : fault === "garbage"
          ? "Извините, я не могу помочь с этим."
          : body.response_format?.type === "json_object"
            ? JSON.stringify(this.answer)
            : this.textAnswer();
    const completion = {
      id: crypto.randomUUID(),
      object: "chat.completion",
      created: 1736990000,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280 },
    };
    // Under load DeepSeek holds the connection and sends blank lines before the JSON.
    const text = (fault === "blank-lines" ? "\n\n\n" : "") + JSON.stringify(completion);
    return new Response(text, { status: 200, headers: { "content-type": "application/json" } });
  };

  private textAnswer(): string {
    return [
      "## САММАРИ ВИДЕО",
      this.answer.summary,
      "",
      "## ОСНОВНАЯ ТЕМА ВИДЕО",
      this.answer.main_topic,
      "",
      "## ДЕТАЛИЗИРОВАННЫЕ ТОПИКИ (6-10 топиков)",
      ...this.answer.topics.map((t) => `[${t.start}] - ${t.title}`),
      "",
      "## ВОПРОСЫ ДЛЯ САМОПРОВЕРКИ",
      ...this.answer.questions.map((q, i) => `${i + 1}. ${q}`),
    ].join("\n");
  }
}

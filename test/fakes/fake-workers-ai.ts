import { SCRIPT_DURATION, SCRIPT_SEGMENTS, SCRIPT_TEXT, SCRIPT_WORDS } from "./fake-asr";

/**
 * A fake of the Workers AI binding (`env.AI.run(model, input)`), which miniflare cannot run
 * offline. Answers in the documented output shapes: `@cf/openai/whisper-large-v3-turbo` →
 * `{ text, transcription_info: { language, duration }, segments: [{ start, end, text, words }] }`;
 * text-generation models → `{ response, usage }`. Faults are queued: each call takes the next one.
 */
export type WorkersAiFault = "none" | "error" | "malformed";

export class FakeWorkersAi {
  readonly calls: Array<{ model: string; input: Record<string, unknown> }> = [];
  readonly faults: WorkersAiFault[] = [];
  /** What a text model answers (topic extraction's JSON, as the prompt asks). */
  chatResponse = JSON.stringify({ main_topics: ["Трансформеры"], topic_timestamps: [{ topic: "Механизм внимания", start: 40 }] });

  async run(model: string, input: Record<string, unknown>): Promise<unknown> {
    this.calls.push({ model, input });
    const fault = this.faults.shift() ?? "none";
    // The binding rejects with an Error (InferenceUpstreamError and the like) when the model fails.
    if (fault === "error") throw new Error("InferenceUpstreamError: 3040: Capacity temporarily exceeded, please try again.");
    if (fault === "malformed") return { result: null };
    if (model === "@cf/openai/whisper-large-v3-turbo") {
      return {
        text: SCRIPT_TEXT,
        word_count: SCRIPT_WORDS.length,
        transcription_info: { language: typeof input.language === "string" ? input.language : "ru", language_probability: 0.98, duration: SCRIPT_DURATION, duration_after_vad: 52.1 },
        segments: SCRIPT_SEGMENTS.map((s) => ({
          start: s.start,
          end: s.end,
          text: ` ${s.text}`,
          temperature: 0,
          avg_logprob: -0.2,
          compression_ratio: 1.3,
          no_speech_prob: 0.01,
          words: SCRIPT_WORDS.filter((w) => w.start >= s.start && w.end <= s.end).map((w) => ({ word: ` ${w.word}`, start: w.start, end: w.end })),
        })),
      };
    }
    if (model.startsWith("@cf/meta/")) return { response: this.chatResponse, usage: { prompt_tokens: 900, completion_tokens: 60, total_tokens: 960 } };
    throw new Error(`5007: No such model ${model} or task`);
  }

  /** The binding as the Worker's `Env` types it (the providers use only `run`). */
  asBinding(): Ai {
    return this as unknown as Ai;
  }
}

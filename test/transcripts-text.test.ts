/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { buildCues, type Cue } from "../src/services/subtitles/cues";
import { toSrt, toVtt } from "../src/services/subtitles/formats";
import { formatTimestamp } from "../src/services/subtitles/timestamps";
import { findLongPauses } from "../src/services/topics/long-pauses";
import { buildTopicMessages } from "../src/services/topics/topic-prompt";
import { topicCounts } from "../src/services/topics/topic-counts";
import { parseTopicResponse, TopicResponseError } from "../src/services/topics/topic-response";
import { addVersion, nextVersionId, versionFromParsed, type NewTopicsVersion } from "../src/services/topics/versions";
import {
  dropHallucinations,
  isHallucination,
  languageCode,
  languageName,
  segmentsFromWords,
  shiftTranscript,
  speechBounds,
  transcriptSummary,
} from "../src/services/transcripts/normalize";
import type { Transcript, TranscriptSegment, TranscriptWord } from "../src/lib/transcripts/types";
import expectedSrt from "./fixtures/text/lecture.srt?raw";
import expectedVtt from "./fixtures/text/lecture.vtt?raw";

const w = (word: string, start: number, end: number): TranscriptWord => ({ word, start, end });
const seg = (id: number, start: number, end: number, text: string): TranscriptSegment => ({ id, start, end, text });
const transcript = (over: Partial<Transcript>): Transcript => ({
  language: "ru",
  duration: 0,
  text: "",
  words: [],
  segments: [],
  provider: "test",
  model: "test",
  ...over,
});

/** Deterministic pseudo-random numbers (a 32-bit LCG), so property loops are reproducible. */
function rng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("segmentsFromWords (LEAP §5.4)", () => {
  // "Добрый день, коллеги." then a comma pause, a short tail merged back, an 8-second run without
  // punctuation, and two lone words after long silences.
  const long = "это очень длинный фрагмент без знаков препинания который тянется и тянется дальше чем восемь секунд подряд а потом наконец конец.".split(" ");
  const words: TranscriptWord[] = [
    w("Добрый", 0.52, 0.91), w("день,", 0.91, 1.3), w("коллеги.", 1.4, 1.95),
    w("Сегодня", 2.6, 3.0), w("мы", 3.0, 3.1), w("поговорим", 3.1, 3.7), w("о", 3.7, 3.75), w("трансформерах,", 3.75, 4.6),
    w("механизме", 4.9, 5.5), w("внимания", 5.5, 6.0),
    w("и", 6.6, 6.7), w("о", 6.7, 6.8), w("позиционном", 7.3, 8.0), w("кодировании.", 8.0, 8.8),
    ...long.map((text, i) => w(text, 10 + i * 0.5, 10.5 + i * 0.5)),
    w("Так.", 30.0, 30.3), w("Продолжим", 30.5, 31.0), w("разбор", 31.0, 31.4), w("примеров.", 31.4, 32.0),
    w("Ок.", 40.0, 40.2),
  ];

  it("breaks at sentence ends, comma pauses, pauses and 8 s, then merges short groups", () => {
    const segments = segmentsFromWords(words);
    expect(segments.map((s) => [s.id, s.start, s.end, s.text])).toEqual([
      [0, 0.52, 1.95, "Добрый день, коллеги."],
      // comma + 0.3 s pause breaks; "механизме внимания" (2 words, 1.1 s) is merged back
      [1, 2.6, 6.0, "Сегодня мы поговорим о трансформерах, механизме внимания"],
      // "и о" + 0.5 s pause does not break: the group is < 0.7 s and < 3 words
      [2, 6.6, 8.8, "и о позиционном кодировании."],
      [3, 10, 18.5, long.slice(0, 17).join(" ")],
      [4, 18.5, 20, long.slice(17).join(" ")],
      // "Так." follows 10 s of silence: it joins the next group instead of the previous one
      [5, 30.0, 32.0, "Так. Продолжим разбор примеров."],
      [6, 40.0, 40.2, "Ок."],
    ]);
    expect(segments.map((s) => s.text).join(" ")).toBe(words.map((x) => x.word).join(" "));
  });

  it("handles AssemblyAI-style words (ms → s by the caller), unsorted input and blank words", () => {
    const fromMs = [
      { text: "Hello", start: 250, end: 650 },
      { text: "", start: 650, end: 700 },
      { text: "world.", start: 730, end: 1022 },
    ].map((x) => w(x.text, x.start / 1000, x.end / 1000));
    expect(segmentsFromWords([fromMs[2]!, fromMs[0]!, fromMs[1]!])).toEqual([{ id: 0, start: 0.25, end: 1.022, text: "Hello world." }]);
    expect(segmentsFromWords([])).toEqual([]);
  });
});

describe("languageCode", () => {
  it("maps OpenAI's names, codes with regions and ISO 639-2 codes to ISO 639-1", () => {
    const cases: Array<[string | null, string | null]> = [
      ["russian", "ru"], ["English", "en"], [" UKRAINIAN ", "uk"], ["castilian", "es"], ["Haitian Creole", "ht"],
      ["ru", "ru"], ["RU-ru", "ru"], ["en_us", "en"], ["pt-BR", "pt"], ["rus", "ru"], ["deu", "de"], ["iw", "he"],
      ["fo", "fo"], ["", null], [null, null], ["und", null], ["klingon", null], ["english!", null],
    ];
    for (const [input, expected] of cases) expect([input, languageCode(input)]).toEqual([input, expected]);
    expect(languageName("ru")).toBe("Russian");
    expect(languageName("ht")).toBe("Haitian Creole");
    expect(languageName("xx")).toBe("xx");
  });
});

describe("hallucinations (§5.5)", () => {
  it("recognises Whisper's subtitle credits, not lecture text", () => {
    for (const text of ["Редактор субтитров А.Семкин Корректор А.Егорова", "Продолжение следует...", "Корректор А. Кулакова", "Субтитры сделал DimaTorzok"]) {
      expect([text, isHallucination(text)]).toEqual([text, true]);
    }
    for (const text of ["Сегодня разберём корректор ошибок Хэмминга", "Продолжим", "Hello"]) {
      expect([text, isHallucination(text)]).toEqual([text, false]);
    }
  });

  const speech = (from: number, to: number, step: number, offset = 0) =>
    Array.from({ length: Math.floor((to - from) / step) }, (_, i) => seg(offset + i, from + i * step, from + i * step + 4, `Фраза номер ${i} про градиентный спуск`));

  it("drops everything inside a ≥ 15-minute window bounded by hallucinations (a break)", () => {
    const before = speech(0, 3600, 10);
    const brk = [
      seg(1000, 3600, 3605, "Продолжение следует..."),
      seg(1001, 3700, 3702, "Спасибо."),
      seg(1002, 3900, 3905, "Редактор субтитров А.Семкин"),
      seg(1003, 4200, 4203, "Ну что ж"),
      seg(1004, 4500, 4505, "Продолжение следует..."),
    ];
    const after = speech(4600, 5400, 10, 2000);
    const kept = dropHallucinations([...before, ...brk, ...after]);
    expect(kept.length).toBe(before.length + after.length);
    expect(kept.some((s) => s.start >= 3600 && s.start < 4600)).toBe(false);
  });

  it("keeps text between hallucinations when the window is shorter than 15 minutes or full of speech", () => {
    const short = [seg(0, 100, 103, "Продолжение следует..."), seg(1, 150, 152, "Спасибо."), seg(2, 200, 205, "Продолжение следует...")];
    expect(dropHallucinations(short).map((s) => s.text)).toEqual(["Спасибо."]);
    const lecture = [seg(0, 60, 62, "Продолжение следует..."), ...speech(70, 4700, 10, 1), seg(9999, 4800, 4805, "Продолжение следует...")];
    expect(dropHallucinations(lecture).length).toBe(lecture.length - 2);
  });
});

describe("speechBounds", () => {
  // Credits hallucinated into the silent start and end, a lecture between them.
  const middle = Array.from({ length: 60 }, (_, i) => w(`слово${i}`, 100 + i * 50, 100.5 + i * 50));
  const t = transcript({
    duration: 3600,
    segments: [
      seg(0, 0, 5, "Продолжение следует..."),
      seg(1, 10.8, 11.5, "…"),
      seg(2, 12.0, 15.0, "Добрый день, коллеги."),
      seg(3, 100, 3050.5, middle.map((x) => x.word).join(" ")),
      seg(4, 3585, 3590.9, "До встречи."),
      seg(5, 3595, 3599, "Редактор субтитров А.Семкин"),
    ],
    words: [
      w("Продолжение", 0.2, 1), w("следует...", 1, 2), w("…", 11.0, 11.4),
      w("Добрый", 12.3, 12.8), w("день,", 12.8, 13.3), w("коллеги.", 13.4, 14.6),
      ...middle,
      w("До", 3585.2, 3585.6), w("встречи.", 3585.6, 3590.4), w("-", 3590.5, 3590.9),
      w("Редактор", 3595, 3596), w("субтитров", 3596, 3597),
    ],
  });

  it("takes the first and last real words, ignoring hallucinations and punctuation", () => {
    expect(speechBounds(t)).toEqual({ firstSpeech: 12.3, lastSpeech: 3590.4 });
  });

  it("falls back to segment times without words, builds segments from words without segments", () => {
    expect(speechBounds({ ...t, words: [] })).toEqual({ firstSpeech: 12.0, lastSpeech: 3590.9 });
    expect(speechBounds({ ...t, segments: [] })).toEqual({ firstSpeech: 12.3, lastSpeech: 3590.4 });
  });

  it("is null when nothing real was said", () => {
    expect(speechBounds(transcript({ segments: [seg(0, 0, 5, "Продолжение следует..."), seg(1, 6, 7, "...")] }))).toBeNull();
    expect(speechBounds(transcript({}))).toBeNull();
  });
});

describe("shiftTranscript and transcriptSummary", () => {
  const original = transcript({
    duration: 100,
    text: "раз два три четыре пять",
    words: [w("раз", 1, 2), w("два", 9.5, 10.5), w("три", 50.2, 51.1), w("четыре", 75, 79), w("пять", 95, 99)],
    segments: [seg(0, 1, 2, "раз"), seg(1, 9.5, 51.1, "два три"), seg(2, 75, 95, "четыре"), seg(3, 95, 99, "пять")],
  });

  it("moves every time, drops what falls outside [0, newDuration] and clamps partial items", () => {
    const shifted = shiftTranscript(original, -10.1, 80);
    expect(shifted.duration).toBe(80);
    expect(shifted.words).toEqual([w("два", 0, 0.4), w("три", 40.1, 41), w("четыре", 64.9, 68.9)]);
    expect(shifted.segments).toEqual([seg(0, 0, 41, "два три"), seg(1, 64.9, 80, "четыре")]);
    expect(shifted.text).toBe("два три четыре");
    expect(original.words.length).toBe(5);
  });

  it("keeps the text when nothing is dropped and defaults the duration", () => {
    const shifted = shiftTranscript(original, 0.2);
    expect(shifted.duration).toBe(100.2);
    expect(shifted.words[0]).toEqual(w("раз", 1.2, 2.2));
    expect(shifted.text).toBe(original.text);
  });

  it("summarises counts and characters (code points)", () => {
    expect(transcriptSummary(transcript({ language: "ru", duration: 12.3456, text: "Привет 👋", words: [w("Привет", 0, 1)], segments: [seg(0, 0, 1, "Привет 👋")] }))).toEqual({
      language: "ru",
      duration: 12.346,
      words: 1,
      segments: 1,
      characters: 8,
    });
  });
});

describe("subtitles", () => {
  const fixtureSegments: TranscriptSegment[] = [
    seg(0, 0.5, 3.2, "Добрый день, коллеги."),
    seg(1, 3.2, 12.2, "Сегодня мы разберём архитектуру трансформеров: механизм внимания, позиционное кодирование и обучение больших языковых моделей."),
    seg(2, 12.5, 15.0, "Первая строка\r\nвторая строка"),
    seg(3, 15.0, 16.0, "   \r\n "),
    seg(4, 16.0004, 19.9996, "Итак, начнём."),
    seg(5, 19.5, 22.25, "Формула: a < b && c > d"),
    seg(6, 22.2505, 25.0, "Далее — пример."),
    seg(7, 360000.25, 360003.5, "Сотый час."),
    seg(8, 30.0, 34.0, "Ссылка: https://example.com/a/very/long/path/to/the/lecture/materials спасибо."),
  ];

  it("writes SRT and VTT byte for byte", () => {
    const cues = buildCues(fixtureSegments, { maxCharsPerLine: 42, maxLines: 2 });
    const encode = (s: string) => Array.from(new TextEncoder().encode(s));
    expect(toSrt(cues)).toBe(expectedSrt);
    expect(toVtt(cues)).toBe(expectedVtt);
    expect(encode(toSrt(cues))).toEqual(encode(expectedSrt));
  });

  it("formats timestamps with correct millisecond rounding and hours past 99", () => {
    const cases: Array<[number, string]> = [
      [0, "00:00:00,000"], [-3, "00:00:00,000"], [0.29, "00:00:00,290"], [1.0005, "00:00:01,001"],
      [3.9996, "00:00:04,000"], [59.9999, "00:01:00,000"], [3599.9995, "01:00:00,000"], [359999.9999, "100:00:00,000"],
      [Number.NaN, "00:00:00,000"],
    ];
    for (const [seconds, text] of cases) expect([seconds, formatTimestamp(seconds, ",")]).toEqual([seconds, text]);
    expect(formatTimestamp(5025.5, ".")).toBe("01:23:45.500");
    expect(toSrt([])).toBe("");
    expect(toVtt([])).toBe("WEBVTT\n\n");
  });

  it("splits a long segment into consecutive cues without losing a word", () => {
    const text = Array.from({ length: 60 }, (_, i) => `слово${i}`).join(" ");
    const cues = buildCues([seg(0, 100, 130, text)]);
    expect(cues.length).toBeGreaterThan(3);
    expect(cues.flatMap((c) => c.lines.join(" ").split(" "))).toEqual(text.split(" "));
    expect(cues[0]!.start).toBe(100);
    expect(cues.at(-1)!.end).toBe(130);
    for (let i = 1; i < cues.length; i++) expect(cues[i]!.start).toBe(cues[i - 1]!.end);
  });

  it("times cues by word timestamps when the segment's words are given", () => {
    const tokens = "один два три четыре пять шесть семь восемь девять десять одиннадцать двенадцать тринадцать четырнадцать пятнадцать".split(" ");
    const words = tokens.map((t, i) => w(t, 10 + i, 10.8 + i));
    const cues = buildCues([seg(0, 10, 25, tokens.join(" "))], { words, maxCharsPerLine: 20, maxLines: 2 });
    expect(cues.length).toBeGreaterThan(1);
    expect(cues[0]!.start).toBe(10);
    expect(cues.at(-1)!.end).toBe(25);
    let index = 0;
    for (const cue of cues) {
      if (index > 0) expect(cue.start).toBe(words[index]!.start);
      index += cue.lines.join(" ").split(" ").length;
    }
    // Words that do not match the segment's tokens: proportional timing instead.
    const mismatched = buildCues([seg(0, 10, 25, tokens.join(" "))], { words: words.slice(1), maxCharsPerLine: 20 });
    expect(mismatched.map((c) => c.lines)).toEqual(cues.map((c) => c.lines));
  });

  it("never overlaps cues nor ends one before it starts", () => {
    const cues = buildCues([seg(0, 5, 9, "первый"), seg(1, 5, 7, "второй"), seg(2, 6, 4, "третий"), seg(3, 8.5, 12, "четвёртый")]);
    for (const cue of cues) expect(cue.end).toBeGreaterThanOrEqual(cue.start);
    for (let i = 1; i < cues.length; i++) expect(cues[i]!.start).toBeGreaterThanOrEqual(cues[i - 1]!.end);
    expect(cues.map((c) => c.lines[0])).toEqual(["первый", "второй", "третий", "четвёртый"]);
  });

  it("keeps ≤ 42 characters per line and ≤ 2 lines per cue for any text (property loop)", () => {
    const random = rng(20260501);
    const alphabet = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcdefghijklmnopqrstuvwxyz0123456789";
    const word = () => {
      const length = random() < 0.03 ? 43 + Math.floor(random() * 30) : 1 + Math.floor(random() * 14);
      return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    };
    for (let round = 0; round < 300; round++) {
      const segments: TranscriptSegment[] = [];
      let t = 0;
      for (let i = 0; i < 1 + Math.floor(random() * 6); i++) {
        const text = Array.from({ length: 1 + Math.floor(random() * 80) }, word).join(random() < 0.1 ? "\r\n" : " ");
        const start = t + random() * 2;
        t = start + 0.5 + random() * 20;
        segments.push(seg(i, start, t, text));
      }
      const maxLines = 1 + Math.floor(random() * 3);
      const maxCharsPerLine = 20 + Math.floor(random() * 30);
      const cues: Cue[] = buildCues(segments, { maxCharsPerLine, maxLines });
      const context = { round, maxLines, maxCharsPerLine };
      for (const cue of cues) {
        expect({ ...context, lines: cue.lines.length <= maxLines }).toEqual({ ...context, lines: true });
        for (const line of cue.lines) {
          const fits = [...line].length <= maxCharsPerLine || !line.includes(" ");
          expect({ ...context, line, fits }).toEqual({ ...context, line, fits: true });
        }
        expect(cue.end).toBeGreaterThanOrEqual(cue.start);
      }
      for (let i = 1; i < cues.length; i++) expect(cues[i]!.start).toBeGreaterThanOrEqual(cues[i - 1]!.end);
      const out = cues.flatMap((c) => c.lines.join(" ").split(" "));
      const input = segments.flatMap((s) => s.text.split(/\s+/).filter((x) => x !== ""));
      expect(out).toEqual(input);
    }
  });
});

describe("topic counts and pauses (§5.5)", () => {
  it("follows LEAP's formulas with the duration clamped to 50–180 min; medium is the midpoint", () => {
    const table: Array<[number, "short" | "medium" | "long", { min: number; max: number; minSpacingMinutes: number }]> = [
      [30, "long", { min: 10, max: 16, minSpacingMinutes: 4 }],
      [50, "short", { min: 3, max: 5, minSpacingMinutes: 10 }],
      [90, "long", { min: 12, max: 19, minSpacingMinutes: 4.5 }],
      [90, "short", { min: 4, max: 6, minSpacingMinutes: 10.8 }],
      [90, "medium", { min: 8, max: 13, minSpacingMinutes: 7.65 }],
      [180, "long", { min: 18, max: 26, minSpacingMinutes: 6 }],
      [240, "short", { min: 7, max: 10, minSpacingMinutes: 18 }],
    ];
    for (const [minutes, granularity, expected] of table) {
      const got = topicCounts(minutes, granularity);
      expect({ minutes, granularity, ...got, minSpacingMinutes: Math.round(got.minSpacingMinutes * 100) / 100 }).toEqual({ minutes, granularity, ...expected });
    }
  });

  it("finds silences of ≥ 8 min between spoken segments, hallucinations ignored", () => {
    const segments = [seg(0, 0, 3600, "лекция"), seg(1, 3700, 3705, "Продолжение следует..."), seg(2, 4200, 4300, "после перерыва"), seg(3, 4720, 4800, "после семи минут")];
    expect(findLongPauses(segments)).toEqual([{ start: 3600, end: 4200, duration_minutes: 10 }]);
    expect(findLongPauses(segments, 400)).toHaveLength(2);
    expect(findLongPauses([])).toEqual([]);
  });
});

describe("topic prompt", () => {
  // 90 minutes with a 10-minute break at 01:00:00 and hallucinated credits in it.
  const segments: TranscriptSegment[] = [
    seg(0, 5, 9, "Добрый день, сегодня говорим о трансформерах."),
    seg(1, 600, 3600, "Механизм внимания подробно."),
    seg(2, 3650, 3655, "Редактор субтитров А.Семкин Корректор А.Егорова"),
    seg(3, 4200, 5400, "Позиционное кодирование."),
  ];
  const base = { transcript: segments, displayName: "Глубокое обучение", granularity: "long" as const, jsonMode: false };

  it("asks in Russian for LEAP's sections, the count range, breaks and spacing", () => {
    const [system, user] = buildTopicMessages({ ...base, language: "ru" });
    expect(system.role).toBe("system");
    expect(system.content).toContain("аналитик учебных материалов");
    expect(user.role).toBe("user");
    for (const part of [
      "Это лекция по курсу «Глубокое обучение»",
      "Длительность записи — 01:30:00",
      "## САММАРИ ВИДЕО",
      "## ОСНОВНАЯ ТЕМА ПАРЫ",
      "2–4 слов, не повторяющая слова из названия курса «Глубокое обучение»",
      "## ДЕТАЛИЗИРОВАННЫЕ ТОПИКИ (12-19 топиков)",
      "## ВОПРОСЫ ДЛЯ САМОПРОВЕРКИ",
      "ровно 3",
      "01:00:00–01:10:00 (10 мин)",
      "«[HH:MM:SS] - Перерыв»",
      "от 3 до 12 минут",
      "не меньше 4.5 мин",
      "от 00:00:00 до 01:30:00",
      "[00:00:05] Добрый день, сегодня говорим о трансформерах.\n[00:10:00] Механизм внимания подробно.\n[01:10:00] Позиционное кодирование.",
    ]) {
      expect(user.content).toContain(part);
    }
    expect(user.content).not.toContain("Редактор субтитров");
    expect(user.content).not.toContain("json");
  });

  it("asks for a JSON object with an example in json mode, and uses the granularity's ranges", () => {
    const [system, user] = buildTopicMessages({ ...base, language: "ru", jsonMode: true, granularity: "short", questions: 4 });
    expect(system.content).toContain("json");
    for (const part of ['"summary"', '"main_topic"', '"topics"', '{"start": "00:00:00", "title":', '"questions"', "json", "от 4 до 6 топиков", "ровно 4", "от 5 до 40 минут", "не меньше 10.8 мин", '"title": "Перерыв"']) {
      expect(user.content).toContain(part);
    }
  });

  it("asks in English for English lectures and in English for the lecture's language otherwise", () => {
    const [systemEn, en] = buildTopicMessages({ ...base, language: "en", displayName: "Deep Learning" });
    expect(systemEn.content).toContain("analyst of educational materials");
    for (const part of ['This is a lecture from the course "Deep Learning"', "## MAIN TOPIC", "## DETAILED TOPICS (12-19 topics)", "## SELF-CHECK QUESTIONS", '"[HH:MM:SS] - Break"']) {
      expect(en.content).toContain(part);
    }
    expect(en.content).not.toContain("The lecture is in");
    const [, de] = buildTopicMessages({ ...base, language: "de", jsonMode: true, questions: 0 });
    expect(de.content).toContain("The lecture is in German: write the summary, the main topic, the topic titles and the questions in German");
    expect(de.content).toContain("questions: an empty list []");
    expect(de.content).not.toContain("## SELF-CHECK QUESTIONS");
  });
});

describe("topic response parsing", () => {
  const leapSample = [
    "## САММАРИ ВИДЕО",
    "Лекция о трансформерах: механизм внимания, позиционное кодирование и обучение больших моделей.",
    "",
    "## ОСНОВНАЯ ТЕМА ВИДЕО",
    "Архитектура трансформеров",
    "",
    "## ДЕТАЛИЗИРОВАННЫЕ ТОПИКИ (6-10 топиков)",
    "[00:00:00] - Введение и план лекции",
    "[00:12:30] - Механизм self-attention",
    "[00:41:05] - Позиционное кодирование",
    "",
    "## ВОПРОСЫ ДЛЯ САМОПРОВЕРКИ",
    "1. Что вычисляет слой self-attention?",
    "2. Зачем нужно позиционное кодирование?",
    "3. Чем multi-head attention отличается от одной головы?",
  ].join("\n");
  const options = { totalDuration: 5421.3, minSpacingSeconds: 60, jsonMode: false };

  it("parses LEAP's Russian text answer into its persisted shape (EXTERNAL-APIS §6.1)", () => {
    expect(parseTopicResponse(leapSample, options)).toEqual({
      summary: "Лекция о трансформерах: механизм внимания, позиционное кодирование и обучение больших моделей.",
      mainTopic: "Архитектура трансформеров",
      topics: [
        { topic: "Введение и план лекции", start: 0, end: 750 },
        { topic: "Механизм self-attention", start: 750, end: 2465 },
        { topic: "Позиционное кодирование", start: 2465, end: 5421.3 },
      ],
      questions: ["Что вычисляет слой self-attention?", "Зачем нужно позиционное кодирование?", "Чем multi-head attention отличается от одной головы?"],
    });
    // json mode with a text answer falls back to the text parser
    expect(parseTopicResponse(leapSample, { ...options, jsonMode: true }).topics).toHaveLength(3);
  });

  it("parses an English text answer including its questions (⚠ LEAP lost them)", () => {
    const answer = [
      "## SUMMARY",
      "An introduction to transformers.",
      "## MAIN TOPIC",
      "**Transformer architecture**",
      "## DETAILED TOPICS (6-10 topics)",
      "1. [00:00:00] — Introduction and plan",
      "- **[12:30]** – Self-attention mechanism",
      "[00:41:05] Positional encoding",
      "## SELF-CHECK QUESTIONS",
      "1. What does self-attention compute?",
      "2) Why is positional encoding needed?",
    ].join("\n");
    expect(parseTopicResponse(answer, options)).toEqual({
      summary: "An introduction to transformers.",
      mainTopic: "Transformer architecture",
      topics: [
        { topic: "Introduction and plan", start: 0, end: 750 },
        { topic: "Self-attention mechanism", start: 750, end: 2465 },
        { topic: "Positional encoding", start: 2465, end: 5421.3 },
      ],
      questions: ["What does self-attention compute?", "Why is positional encoding needed?"],
    });
  });

  it("takes LEAP's fallback main topic (a 2–4-word line before the chapters) and inline headers", () => {
    const bare = parseTopicResponse("Архитектура трансформеров\n[00:00:00] - Введение\n[10:00] - Attention", options);
    expect([bare.mainTopic, bare.topics.map((t) => t.start)]).toEqual(["Архитектура трансформеров", [0, 600]]);
    const inline = parseTopicResponse("**Main topic:** Transformer architecture.\nSummary: Short.\n[00:00:00] - Intro", options);
    expect([inline.mainTopic, inline.summary]).toEqual(["Transformer architecture", "Short."]);
  });

  it("parses JSON after leading blank lines and inside code fences", () => {
    const json = {
      summary: "Лекция о трансформерах.",
      main_topic: "Архитектура трансформеров",
      topics: [
        { start: "00:00:00", title: "Введение" },
        { start: "00:12:30", title: "Self-attention" },
        { start: "bad", title: "Без времени" },
        { start: "00:20:00", title: "" },
      ],
      questions: ["Что такое attention?", 42, ""],
    };
    for (const content of [`\n\n\n   ${JSON.stringify(json)}`, `\n\n\`\`\`json\n${JSON.stringify(json, null, 2)}\n\`\`\`\n`, `Here you go:\n${JSON.stringify(json)}`]) {
      expect(parseTopicResponse(content, { ...options, jsonMode: true })).toEqual({
        summary: "Лекция о трансформерах.",
        mainTopic: "Архитектура трансформеров",
        topics: [
          { topic: "Введение", start: 0, end: 750 },
          { topic: "Self-attention", start: 750, end: 5421.3 },
        ],
        questions: ["Что такое attention?"],
      });
    }
  });

  it("drops timestamps outside the recording, merges chapters closer than the minimum spacing, keeps breaks", () => {
    const answer = [
      "## ОСНОВНАЯ ТЕМА ПАРЫ",
      "«Оптимизация нейронных сетей на практике с примерами кода и задачами»",
      "## ДЕТАЛИЗИРОВАННЫЕ ТОПИКИ (10-16 топиков)",
      "[00:00:00] - Введение",
      "[00:02:00] - Слишком близко к введению",
      "[00:10:00] - Градиентный спуск",
      "[01:00:00] - Перерыв",
      "[01:01:00] - Адам и его варианты",
      "[01:03:00] - Слишком близко к Адаму",
      "[01:00:00] - Перерыв",
      "[01:40:00] - После конца записи",
      "[00:75:00] - Неверное время",
    ].join("\n");
    const parsed = parseTopicResponse(answer, { totalDuration: 5400, minSpacingSeconds: 300, jsonMode: false });
    expect(parsed.mainTopic).toBe("Оптимизация нейронных сетей на практике с примерами");
    expect(parsed.topics).toEqual([
      { topic: "Введение", start: 0, end: 600 },
      { topic: "Градиентный спуск", start: 600, end: 3600 },
      { topic: "Перерыв", start: 3600, end: 3660 },
      { topic: "Адам и его варианты", start: 3660, end: 5400 },
    ]);
    expect(parsed.summary).toBeNull();
    expect(parsed.questions).toEqual([]);
  });

  it("throws a clear error for empty, unparseable or out-of-range answers", () => {
    const reasonOf = (content: string | null, jsonMode = true) => {
      try {
        parseTopicResponse(content, { ...options, jsonMode });
        return "parsed";
      } catch (error) {
        expect(error).toBeInstanceOf(TopicResponseError);
        return (error as TopicResponseError).reason;
      }
    };
    expect(reasonOf(null)).toBe("empty");
    expect(reasonOf("")).toBe("empty");
    expect(reasonOf("\n\n  \n")).toBe("empty");
    expect(reasonOf("Извините, я не могу помочь.", false)).toBe("unparseable");
    expect(reasonOf('{"summary": "x", "topics": []}')).toBe("unparseable");
    expect(reasonOf('{"topics": [{"start": "05:00:00", "title": "Поздно"}]}')).toBe("no_topics");
    expect(() => parseTopicResponse("", options)).toThrow(/empty answer/);
  });
});

describe("topic versions", () => {
  const version = (over: Partial<NewTopicsVersion> = {}): NewTopicsVersion => ({
    model: "deepseek-chat",
    provider: "deepseek",
    granularity: "long",
    created_at: "2026-05-01T10:00:00.000Z",
    main_topics: ["Архитектура трансформеров"],
    topic_timestamps: [{ topic: "Введение", start: 0, end: 60 }],
    summary: null,
    questions: [],
    pauses: [],
    ...over,
  });

  it("numbers versions past the highest existing id", () => {
    expect(nextVersionId([])).toBe("v1");
    expect(nextVersionId(["v1", "v3", "custom", "v2"])).toBe("v4");
  });

  it("adds each regeneration as the active version and deactivates the others, without mutating", () => {
    const first = addVersion(null, version());
    expect(first.active_version).toBe("v1");
    expect(first.versions.map((v) => [v.id, v.is_active])).toEqual([["v1", true]]);
    const second = addVersion(first, version({ granularity: "short", created_at: "2026-05-02T10:00:00.000Z" }));
    expect(second.active_version).toBe("v2");
    expect(second.versions.map((v) => [v.id, v.is_active, v.granularity])).toEqual([["v1", false, "long"], ["v2", true, "short"]]);
    expect(first.versions[0]!.is_active).toBe(true);
    const replaced = addVersion(second, version({ id: "v1", summary: "новое" }));
    expect(replaced.active_version).toBe("v1");
    expect(replaced.versions.map((v) => [v.id, v.is_active, v.summary])).toEqual([["v1", true, "новое"], ["v2", false, null]]);
  });

  it("builds a version from a parsed answer", () => {
    const parsed = parseTopicResponse("## ОСНОВНАЯ ТЕМА\nТрансформеры\n[00:00:00] - Введение", { totalDuration: 100, minSpacingSeconds: 60, jsonMode: false });
    const pauses = [{ start: 10, end: 600, duration_minutes: 9.8 }];
    const v = versionFromParsed(parsed, { model: "deepseek-chat", provider: "deepseek", granularity: "medium", createdAt: "2026-05-01T00:00:00.000Z", pauses });
    expect(v).toEqual({
      model: "deepseek-chat",
      provider: "deepseek",
      granularity: "medium",
      created_at: "2026-05-01T00:00:00.000Z",
      main_topics: ["Трансформеры"],
      topic_timestamps: [{ topic: "Введение", start: 0, end: 100 }],
      summary: null,
      questions: [],
      pauses,
    });
  });
});

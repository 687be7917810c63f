import { formatClock } from "./timecode";
import { minutes, type PromptFacts } from "./prompt-facts";

export const RU_BREAK_TITLE = "Перерыв";

export function russianSystemPrompt(jsonMode: boolean): string {
  const base =
    "Ты — самый лучший аналитик учебных материалов на магистратуре Computer Science. Анализируй транскрипции и выделяй структуру лекций.";
  return jsonMode ? `${base} Отвечай только одним объектом json.` : base;
}

export function russianUserPrompt(f: PromptFacts): string {
  const { min, max } = f.counts;
  const spacing = minutes(f.counts.minSpacingMinutes);
  const course = f.courseName ? `«${f.courseName}»` : null;
  const out: string[] = [];

  out.push(`${course ? `Это лекция по курсу ${course}. ` : ""}Длительность записи — ${f.duration} (около ${Math.round(f.durationMinutes)} мин).`);
  if (f.pauses.length > 0) {
    out.push("", "В записи есть перерывы — паузы в речи не короче 8 минут:");
    for (const p of f.pauses) out.push(`- ${formatClock(p.start)}–${formatClock(p.end)} (${minutes(p.duration_minutes)} мин)`);
    out.push(`Для каждого перерыва обязательно добавь отдельный топик «[HH:MM:SS] - ${RU_BREAK_TITLE}» со временем начала перерыва.`);
  }
  const mainTopicRule = `ровно одна основная тема пары из 2–4 слов${course ? `, не повторяющая слова из названия курса ${course}` : ""}`;

  out.push("");
  if (f.jsonMode) {
    out.push(
      "Проанализируй транскрипцию и ответь строго одним объектом json, без markdown и пояснений, по образцу:",
      "{",
      '  "summary": "Краткое содержание лекции в 2–4 предложениях.",',
      '  "main_topic": "Основная тема пары",',
      '  "topics": [',
      '    {"start": "00:00:00", "title": "Название первого топика"},',
      '    {"start": "00:12:30", "title": "Название следующего топика"}',
      "  ],",
      `  "questions": [${f.questions > 0 ? '"Вопрос для самопроверки?"' : ""}]`,
      "}",
      "Поля:",
      "- summary — краткое содержание лекции в 2–4 предложениях;",
      `- main_topic — ${mainTopicRule};`,
      `- topics — от ${min} до ${max} топиков: start — таймкод начала "HH:MM:SS", title — название топика${f.pauses.length > 0 ? `; перерыв — {"start": "HH:MM:SS", "title": "${RU_BREAK_TITLE}"}` : ""};`,
      f.questions > 0 ? `- questions — вопросы для самопроверки по материалу лекции, ровно ${f.questions} шт.` : "- questions — пустой список [].",
    );
  } else {
    out.push(
      "Проанализируй транскрипцию и ответь строго в формате:",
      "",
      "## САММАРИ ВИДЕО",
      "Краткое содержание лекции в 2–4 предложениях.",
      "",
      "## ОСНОВНАЯ ТЕМА ПАРЫ",
      `Здесь ${mainTopicRule}.`,
      "",
      `## ДЕТАЛИЗИРОВАННЫЕ ТОПИКИ (${min}-${max} топиков)`,
      "[HH:MM:SS] - Название топика",
    );
    if (f.questions > 0) {
      out.push("", "## ВОПРОСЫ ДЛЯ САМОПРОВЕРКИ", "1. Вопрос", `Вопросов по материалу лекции — ровно ${f.questions}.`);
    }
  }

  out.push(
    "",
    "Правила:",
    `- От ${min} до ${max} топиков; каждый топик длится от ${f.topicMinutes.from} до ${f.topicMinutes.to} минут.`,
    `- Между началами соседних топиков — не меньше ${spacing} мин.`,
    `- Таймкоды — реальные моменты начала тем из транскрипции, в хронологическом порядке, от 00:00:00 до ${f.duration}. Первый топик начинается в 00:00:00.`,
    "- Название топика — 3–6 слов, по существу, без нумерации.",
  );
  if (f.pauses.length > 0) out.push(`- Каждый перерыв — отдельный топик «${RU_BREAK_TITLE}» со временем его начала.`);
  out.push(
    "",
    `Перед ответом проверь себя: топиков от ${min} до ${max}; таймкоды возрастают и не выходят за ${f.duration}; между топиками не меньше ${spacing} мин; основная тема из 2–4 слов${course ? " и не повторяет название курса" : ""}${f.pauses.length > 0 ? "; все перерывы отмечены" : ""}.`,
    "",
    "Транскрипция:",
    f.transcript,
  );
  return out.join("\n");
}

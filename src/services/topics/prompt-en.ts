import { formatClock } from "./timecode";
import { minutes, type PromptFacts } from "./prompt-facts";

export const EN_BREAK_TITLE = "Break";

export function englishSystemPrompt(jsonMode: boolean): string {
  const base =
    "You are the best analyst of educational materials in a Computer Science master's programme. Analyse transcripts and identify the structure of lectures.";
  return jsonMode ? `${base} Answer with a single json object only.` : base;
}

export function englishUserPrompt(f: PromptFacts): string {
  const { min, max } = f.counts;
  const spacing = minutes(f.counts.minSpacingMinutes);
  const course = f.courseName ? `"${f.courseName}"` : null;
  const out: string[] = [];

  out.push(`${course ? `This is a lecture from the course ${course}. ` : ""}The recording lasts ${f.duration} (about ${Math.round(f.durationMinutes)} min).`);
  if (f.answerLanguage) {
    out.push(
      `The lecture is in ${f.answerLanguage}: write the summary, the main topic, the topic titles and the questions in ${f.answerLanguage}. Keep the ${f.jsonMode ? "json keys" : "section headers"} exactly as shown, and label breaks exactly "${EN_BREAK_TITLE}".`,
    );
  }
  if (f.pauses.length > 0) {
    out.push("", "The recording has breaks — pauses in speech of at least 8 minutes:");
    for (const p of f.pauses) out.push(`- ${formatClock(p.start)}–${formatClock(p.end)} (${minutes(p.duration_minutes)} min)`);
    out.push(`For every break, add a separate topic "[HH:MM:SS] - ${EN_BREAK_TITLE}" at the time the break starts.`);
  }
  const mainTopicRule = `exactly one main topic of 2–4 words${course ? ` that does not repeat words of the course name ${course}` : ""}`;

  out.push("");
  if (f.jsonMode) {
    out.push(
      "Analyse the transcript and answer with exactly one json object, without markdown or comments, like this example:",
      "{",
      '  "summary": "A 2–4 sentence summary of the lecture.",',
      '  "main_topic": "Main lecture topic",',
      '  "topics": [',
      '    {"start": "00:00:00", "title": "First topic title"},',
      '    {"start": "00:12:30", "title": "Next topic title"}',
      "  ],",
      `  "questions": [${f.questions > 0 ? '"A self-check question?"' : ""}]`,
      "}",
      "Fields:",
      "- summary: a 2–4 sentence summary of the lecture;",
      `- main_topic: ${mainTopicRule};`,
      `- topics: ${min} to ${max} topics; start is the time the topic begins as "HH:MM:SS", title is its name${f.pauses.length > 0 ? `; a break is {"start": "HH:MM:SS", "title": "${EN_BREAK_TITLE}"}` : ""};`,
      f.questions > 0 ? `- questions: exactly ${f.questions} self-check questions on the lecture material.` : "- questions: an empty list [].",
    );
  } else {
    out.push(
      "Analyse the transcript and answer strictly in this format:",
      "",
      "## SUMMARY",
      "A 2–4 sentence summary of the lecture.",
      "",
      "## MAIN TOPIC",
      `Here, ${mainTopicRule}.`,
      "",
      `## DETAILED TOPICS (${min}-${max} topics)`,
      "[HH:MM:SS] - Topic title",
    );
    if (f.questions > 0) {
      out.push("", "## SELF-CHECK QUESTIONS", "1. Question", `Exactly ${f.questions} questions on the lecture material.`);
    }
  }

  out.push(
    "",
    "Rules:",
    `- ${min} to ${max} topics; each topic lasts ${f.topicMinutes.from} to ${f.topicMinutes.to} minutes.`,
    `- At least ${spacing} min between the starts of neighbouring topics.`,
    `- Timestamps are real moments from the transcript where a topic begins, in chronological order, from 00:00:00 to ${f.duration}. The first topic starts at 00:00:00.`,
    "- A topic title has 3–6 words, is specific, and is not numbered.",
  );
  if (f.pauses.length > 0) out.push(`- Every break is a separate topic "${EN_BREAK_TITLE}" at the time it starts.`);
  out.push(
    "",
    `Before answering, check: ${min} to ${max} topics; timestamps increase and stay within ${f.duration}; at least ${spacing} min between topics; the main topic has 2–4 words${course ? " and does not repeat the course name" : ""}${f.pauses.length > 0 ? "; every break is marked" : ""}.`,
    "",
    "Transcript:",
    f.transcript,
  );
  return out.join("\n");
}

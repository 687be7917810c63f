import type { Cue } from "./cues";
import { formatTimestamp, toMilliseconds } from "./timestamps";

/**
 * SRT and WebVTT text (LEAP's layout, §5.6): LF line ends, a blank line after every cue, UTF-8
 * when encoded by the caller. Cue lines are sanitised once more here, so cues built by hand
 * cannot break the file: line breaks inside a line become spaces, empty lines and cues without
 * text are left out, and an end before the start is raised to the start.
 */
function printable(cues: readonly Cue[]): Array<{ start: number; end: number; lines: string[] }> {
  return cues.flatMap((cue) => {
    const lines = cue.lines.map((l) => l.replace(/\s+/g, " ").trim()).filter((l) => l !== "");
    if (lines.length === 0) return [];
    const start = toMilliseconds(cue.start) / 1000;
    return [{ start, end: Math.max(start, toMilliseconds(cue.end) / 1000), lines }];
  });
}

export function toSrt(cues: readonly Cue[]): string {
  return printable(cues)
    .map((c, i) => `${i + 1}\n${formatTimestamp(c.start, ",")} --> ${formatTimestamp(c.end, ",")}\n${c.lines.join("\n")}\n\n`)
    .join("");
}

/** Cue text in VTT is markup: `&`, `<` and `>` are escaped (a literal "-->" would end the timing line's meaning). */
const escapeVtt = (line: string) => line.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function toVtt(cues: readonly Cue[]): string {
  const body = printable(cues)
    .map((c) => `${formatTimestamp(c.start, ".")} --> ${formatTimestamp(c.end, ".")}\n${c.lines.map(escapeVtt).join("\n")}\n\n`)
    .join("");
  return `WEBVTT\n\n${body}`;
}

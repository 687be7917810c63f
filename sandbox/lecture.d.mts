// Types of lecture.mjs for TypeScript callers (the browser journeys' server).
export interface Lecture {
  path: string;
  size: number;
  duration: number;
  speechStart: number;
  speechEnd: number;
  generated: boolean;
}

export function ensureSampleLecture(dir: string, options?: { generate?: boolean }): Lecture;

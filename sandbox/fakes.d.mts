// Types of fakes.mjs for TypeScript callers (the browser journeys' server, web/e2e/support/dev-server.ts).
import type { Lecture } from "./lecture.mjs";

export interface FakeServer {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export const SANDBOX: {
  zoom: { account_id: string; client_id: string; client_secret: string };
  zoomWebhookSecret: string;
  downloadToken: string;
  asrKey: string;
  llmKey: string;
  youtubeToken: string;
};

export const SAMPLE_MEETINGS: { topic: string; subject: string }[];

export function sandboxVars(fakes: { zoom: FakeServer; ai: FakeServer; youtube: FakeServer }, appUrl: string): Record<string, string>;

export interface SandboxFakes {
  zoom: FakeServer;
  ai: FakeServer;
  youtube: FakeServer;
  videos: Map<string, unknown>;
  meetings: unknown[];
  setApp(value: { webhookUrl: string; secret: string } | null): void;
  close(): Promise<void>;
}

export function startSandboxFakes(options: {
  lecture: Lecture;
  ports?: { zoom?: number; ai?: number; youtube?: number };
  nextIndex?: () => number;
  log?: (line: string) => void;
}): Promise<SandboxFakes>;

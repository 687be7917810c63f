import { AsyncLocalStorage } from "node:async_hooks";
import { redact, redactString } from "./redact";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "json" | "pretty";

/** Context carried through a request, a queue message or a cron run. */
export interface LogContext {
  requestId?: string;
  userId?: string;
  route?: string;
  method?: string;
  taskId?: string;
  runId?: string;
  recordingId?: string | number;
  stage?: string;
  queue?: string;
  cron?: string;
}

interface LoggerSettings {
  level: LogLevel;
  format: LogFormat;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const storage = new AsyncLocalStorage<LogContext>();
let settings: LoggerSettings = { level: "info", format: "json" };

/** Settings come from configuration; called at every entry point (cheap, idempotent). */
export function configureLogger(next: LoggerSettings): void {
  settings = next;
}

export function withLogContext<T>(context: LogContext, fn: () => T): T {
  const parent = storage.getStore() ?? {};
  return storage.run({ ...parent, ...context }, fn);
}

/** Adds fields to the current context (e.g. the user id once authentication succeeded). */
export function addLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

export function currentLogContext(): LogContext {
  return { ...(storage.getStore() ?? {}) };
}

function write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
  if (LEVELS[level] < LEVELS[settings.level]) return;
  const entry = {
    time: new Date().toISOString(),
    level,
    message: redactString(message),
    ...currentLogContext(),
    ...(fields ? (redact(fields) as Record<string, unknown>) : {}),
  };
  const line = settings.format === "json" ? JSON.stringify(entry) : pretty(entry);
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

function pretty(entry: Record<string, unknown>): string {
  const { time, level, message, ...rest } = entry;
  const extras = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  return `${String(time)} ${String(level).toUpperCase().padEnd(5)} ${String(message)}${extras ? ` ${extras}` : ""}`;
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};

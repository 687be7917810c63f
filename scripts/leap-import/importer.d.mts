/** Types of importer.mjs for TypeScript callers (the tests); the module itself is JSDoc-typed JavaScript. */

export type FetchLike = (path: string, init?: RequestInit) => Promise<Response>;

export interface ImportOptions {
  /** LEAP's API: paths such as `/api/v1/templates`, bearer token attached. */
  leap: FetchLike;
  /** This server's API, the same way. */
  ours: FetchLike;
  dryRun?: boolean;
  /** Keep LEAP's active automation jobs active here (default: created paused). */
  activateJobs?: boolean;
  log?: (line: string) => void;
  timeoutMs?: number;
  retries?: number;
  retryDelayMs?: number;
}

export type Action = "created" | "would_create" | "exists" | "updated" | "would_update" | "unchanged" | "skipped" | "failed";
export type Kind = "thumbnail" | "preset" | "source" | "template" | "user config" | "automation job";

export interface ReportItem {
  kind: Kind;
  name: string;
  leapId: number | null;
  action: Action;
  id: number | null;
  reason: string | null;
  notes: string[];
}

export interface CredentialLine {
  leapId: number | null;
  platform: string;
  accountName: string | null;
  status: "connected" | "not_connected" | "ambiguous" | "unsupported" | "unused";
  id: number | null;
  neededBy: string[];
  advice: string;
}

export declare class Report {
  constructor(dryRun: boolean, log: (line: string) => void);
  readonly dryRun: boolean;
  accounts: { leap: string | null; here: string | null };
  fatal: string | null;
  items: ReportItem[];
  credentials: CredentialLine[];
  errors: string[];
  readonly ok: boolean;
  readonly summary: Record<string, number>;
  toJSON(): Record<string, unknown>;
}

export declare function importFromLeap(options: ImportOptions): Promise<Report>;
export declare function formatReport(report: Report): string;
export declare function protectLeapTemplate(text: string): { text: string; notes: string[] };

export interface ConfigChange {
  path: string;
  status: "set" | "unchanged" | "kept_yours" | "not_supported" | "blocked";
  value?: unknown;
  current?: unknown;
  reason?: string;
  notes?: string[];
}
export declare function configChanges(
  leapConfig: unknown,
  here: { effective: unknown; overrides: unknown },
  mapPreset: (leapPresetId: number) => { id: number } | { reason: string },
): ConfigChange[];

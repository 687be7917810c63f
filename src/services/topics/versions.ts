import type { LongPause, ParsedTopics, TopicGranularity, TopicSpan } from "./types";

/** One extraction result in the recording's versions file (LEAP's `topics.json`, §5.5). */
export interface TopicsVersion {
  /** "v1", "v2", … */
  id: string;
  model: string;
  provider: string;
  granularity: TopicGranularity;
  /** ISO-8601 UTC. */
  created_at: string;
  is_active: boolean;
  /** ≤ 1 entry (LEAP's list form). */
  main_topics: string[];
  topic_timestamps: TopicSpan[];
  summary: string | null;
  questions: string[];
  pauses: LongPause[];
}

export interface TopicsVersionsFile {
  active_version: string | null;
  versions: TopicsVersion[];
}

/** A version before it is filed: the id is chosen by `addVersion` unless given. */
export type NewTopicsVersion = Omit<TopicsVersion, "id" | "is_active"> & { id?: string };

/** The next free "v{n}": one past the highest existing number (not the count, so ids never repeat after a removal). */
export function nextVersionId(existingIds: Iterable<string>): string {
  let highest = 0;
  for (const id of existingIds) {
    const n = /^v(\d+)$/.exec(id)?.[1];
    if (n !== undefined) highest = Math.max(highest, Number(n));
  }
  return `v${highest + 1}`;
}

/**
 * The file with `version` added as the active one and every other version deactivated (a
 * regeneration never edits an earlier result). A version given an id that already exists
 * replaces that version in place. The input file is not modified.
 */
export function addVersion(file: TopicsVersionsFile | null, version: NewTopicsVersion): TopicsVersionsFile {
  const existing = file?.versions ?? [];
  const id = version.id ?? nextVersionId(existing.map((v) => v.id));
  const added: TopicsVersion = { ...version, id, is_active: true };
  const versions = existing.map((v) => (v.id === id ? added : { ...v, is_active: false }));
  if (!existing.some((v) => v.id === id)) versions.push(added);
  return { active_version: id, versions };
}

/** A version from a parsed answer and what the caller knows about the run. */
export function versionFromParsed(
  parsed: ParsedTopics,
  meta: { model: string; provider: string; granularity: TopicGranularity; createdAt: string; pauses: LongPause[]; id?: string },
): NewTopicsVersion {
  return {
    ...(meta.id === undefined ? {} : { id: meta.id }),
    model: meta.model,
    provider: meta.provider,
    granularity: meta.granularity,
    created_at: meta.createdAt,
    main_topics: parsed.mainTopic ? [parsed.mainTopic] : [],
    topic_timestamps: parsed.topics,
    summary: parsed.summary,
    questions: parsed.questions,
    pauses: meta.pauses,
  };
}

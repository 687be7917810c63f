import { cachedTenantRegex, type TenantRegex } from "../../lib/tenant-regex";
import type { MatchingRules } from "./matching-rules";

export interface MatchableTemplate {
  id: number;
  isActive: boolean;
  isDraft: boolean;
  createdAt: Date;
  matchingRules: MatchingRules | null;
}

export interface MatchableRecording {
  displayName: string;
  inputSourceId: number | null;
}

/**
 * Compiled patterns for one matching pass, on top of the isolate-wide cache: a pass over many
 * recordings and templates compiles each pattern once even when the isolate cache is too small.
 */
type RegexCache = Map<string, TenantRegex | null>;

function compileCached(cache: RegexCache, pattern: string, caseSensitive: boolean): TenantRegex | null {
  const key = `${caseSensitive ? "s" : "i"}:${pattern}`;
  if (!cache.has(key)) cache.set(key, cachedTenantRegex(pattern, caseSensitive));
  return cache.get(key) ?? null;
}

/** Blank items never match (and never exclude): they are dropped on save, this guards older rows. */
function cleaned(items: readonly string[] | null | undefined): string[] {
  return (items ?? []).map((item) => item.trim()).filter((item) => item !== "");
}

function rulesMatch(rules: MatchingRules | null, recording: MatchableRecording, cache: RegexCache): boolean {
  if (!rules) return false;
  const caseSensitive = rules.case_sensitive === true;
  const fold = (text: string): string => (caseSensitive ? text : text.toLowerCase());
  const name = fold(recording.displayName);
  // Patterns run on RE2 (linear time); a stored pattern that is now refused is skipped, not thrown.
  const search = (pattern: string): boolean => compileCached(cache, pattern, caseSensitive)?.test(recording.displayName) ?? false;

  const sourceIds = rules.source_ids ?? [];
  if (sourceIds.length > 0 && (recording.inputSourceId === null || !sourceIds.includes(recording.inputSourceId))) {
    return false;
  }
  if (cleaned(rules.exclude_keywords).some((keyword) => name.includes(fold(keyword)))) return false;
  if (cleaned(rules.exclude_patterns).some(search)) return false;

  const exact = cleaned(rules.exact_matches);
  const keywords = cleaned(rules.keywords);
  const patterns = cleaned(rules.patterns);
  if (exact.some((candidate) => fold(candidate) === fold(recording.displayName.trim()))) return true;
  if (keywords.some((keyword) => name.includes(fold(keyword)))) return true;
  if (patterns.some(search)) return true;

  // A template scoped only by source_ids takes every recording of those sources (LEAP never matched it).
  return sourceIds.length > 0 && exact.length + keywords.length + patterns.length === 0;
}

export function templateMatches(rules: MatchingRules | null, recording: MatchableRecording): boolean {
  return rulesMatch(rules, recording, new Map());
}

/** First match wins among active, non-draft templates, oldest first (ties broken by id). */
export function findMatchingTemplate<T extends MatchableTemplate>(
  recording: MatchableRecording,
  templates: readonly T[],
): T | null {
  const cache: RegexCache = new Map();
  const candidates = templates
    .filter((template) => template.isActive && !template.isDraft)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
  return candidates.find((template) => rulesMatch(template.matchingRules, recording, cache)) ?? null;
}

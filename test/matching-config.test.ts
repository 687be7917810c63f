import { describe, expect, it } from "vitest";
import { parseFilterDate } from "../src/lib/dates";
import { DEFAULT_USER_CONFIG, defaultUserConfig } from "../src/services/config/defaults";
import { isPlainObject, mergePatch, resolveLayers } from "../src/services/config/merge";
import { effectiveUserConfig, resolveConfig } from "../src/services/config/resolve";
import { userConfigPatchSchema } from "../src/services/config/user-config.schema";
import { findMatchingTemplate, templateMatches, type MatchableTemplate } from "../src/services/templates/matcher";
import { hasPositiveRule, matchingRulesSchema, type MatchingRules } from "../src/services/templates/matching-rules";
import {
  cachedTenantRegex,
  compileTenantRegex,
  MAX_PATTERN_LENGTH,
  MAX_PROGRAM_SIZE,
  MAX_SUBJECT_LENGTH,
  TenantPatternError,
  tenantPatternProblem,
} from "../src/lib/tenant-regex";

const reasonOf = (pattern: string): string => tenantPatternProblem(pattern) ?? "";
const search = (pattern: string, subject: string, caseSensitive = false): boolean => compileTenantRegex(pattern, caseSensitive).test(subject);

describe("tenant regular expressions (RE2)", () => {
  // The heuristic checker refused these; RE2 runs them in linear time, so they are ordinary now.
  it.each([
    ["(a+)+$", `${"a".repeat(40)}!`, false],
    ["^(\\w+\\s?)*$", `${"word ".repeat(20)}!`, false],
    ["(x+x+)+y", "x".repeat(40), false],
    ["(a*)*b", "a".repeat(40), false],
    ["((ab)*)+c", "ab".repeat(40), false],
    ["(?:a{1,3}){2,}", "aaaa", true],
    ["(a|aa)+$", `${"a".repeat(40)}b`, false],
    ["(a|a)*b", "a".repeat(40), false],
    ["(a?a?)+b", `${"a".repeat(40)}b`, true],
    ["(.|a)*b", "a".repeat(40), false],
    ["(\\w|\\d)+$", "1a".repeat(40), true],
    ["(lecture|[a-z])+!", "lecture".repeat(10), false],
    [".*.*.*x", "y".repeat(400), false],
    ["^.+\\s.+\\s.+x", "a b c ".repeat(60), false],
  ])("runs formerly refused %s with the right answer", (pattern, subject, expected) => {
    expect(tenantPatternProblem(pattern)).toBeNull();
    expect(search(pattern, subject)).toBe(expected);
  });

  it.each([
    "^Лекция \\d+",
    "(foo|bar)+",
    "([a-z]|\\d)+",
    "\\w+\\s+\\w+\\s+\\d+",
    "^(?:Лекция|Семинар)\\s*\\d+.*$",
    "Lecture\\s*\\d+\\s*-\\s*\\w+",
    "\\(draft\\)",
    "[(+*]",
    "[(a+)+]",
    "(?<num>\\d+)?-(ab)?c+",
    "(?P<num>\\d+)",
    "a{,3}",
    "\\u0061\\u{62}\\x63\\cJ",
    "\\p{Lu}\\p{Cyrillic}",
    "x".repeat(MAX_PATTERN_LENGTH),
  ])("accepts ordinary pattern %s", (pattern) => {
    expect(tenantPatternProblem(pattern)).toBeNull();
    expect(() => compileTenantRegex(pattern, true)).not.toThrow();
  });

  it("refuses empty, too long, invalid and too complex patterns", () => {
    expect(reasonOf("")).toBe("pattern is empty");
    expect(reasonOf("x".repeat(MAX_PATTERN_LENGTH + 1))).toBe("pattern is longer than 200 characters");
    expect(reasonOf("(")).toBe("invalid regular expression: missing closing ): `(`");
    expect(reasonOf("a{2,1}")).toBe("invalid regular expression: invalid repeat count: `{2,1}`");
    expect(reasonOf("a++")).toMatch(/^invalid regular expression: invalid nested repetition operator/);
    expect(reasonOf("(.{1,999}){1,999}")).toBe("invalid regular expression: expression too large");
    expect(reasonOf("[\\p{L}\\p{N}]{1000}")).toMatch(new RegExp(`^pattern is too complex \\(\\d+ steps per character, at most ${MAX_PROGRAM_SIZE}\\)`));
    expect(() => compileTenantRegex("(", false)).toThrow(TenantPatternError);
  });

  it("refuses what RE2 cannot express, saying why", () => {
    const why = ": the matching engine runs in linear time (RE2) and cannot express it";
    expect(reasonOf("(a)\\1")).toBe(`backreference \\1 is not supported${why}`);
    expect(reasonOf("(?<x>a)\\k<x>")).toBe(`backreference \\k<…> is not supported${why}`);
    expect(reasonOf("(?P<x>a)(?P=x)")).toBe(`backreference (?P=…) is not supported${why}`);
    expect(reasonOf("lecture(?=\\d)")).toBe(`lookahead (?=…) is not supported${why}`);
    expect(reasonOf("lecture(?!\\d)")).toBe(`negative lookahead (?!…) is not supported${why}`);
    expect(reasonOf("(?<=Group )\\d+")).toBe(`lookbehind (?<=…) is not supported${why}`);
    expect(reasonOf("(?<!x)y")).toBe(`negative lookbehind (?<!…) is not supported${why}`);
    // Inside a class these are plain characters, not groups or references.
    expect(reasonOf("[(?=]")).toBe("");
    expect(reasonOf("[\\1]")).toBe("invalid regular expression: invalid escape sequence: `\\1`");
  });

  it("is case-insensitive unless asked, Cyrillic included", () => {
    expect(search("^лекция", "ЛЕКЦИЯ 5")).toBe(true);
    expect(search("^лекция", "Лекция 5", true)).toBe(false);
    expect(search("ё", "Ё")).toBe(true);
  });

  it("keeps JavaScript's meaning of \\s, \\S, ., \\u, named groups and [^]", () => {
    expect(search("Lecture\\s5", "Lecture\u00a05")).toBe(true);
    expect(search("^[\\s]+$", "\u2003\t\ufeff")).toBe(true);
    expect(search("^\\S+$", "лекция\u00a0")).toBe(false);
    expect(search("^[\\S]+$", "лекция")).toBe(true);
    expect(search("a.b", "a\nb")).toBe(false);
    expect(search("a.b", "a\rb")).toBe(false);
    expect(search("a[.]b", "a.b")).toBe(true);
    expect(search("^\\u0061+$", "AAA")).toBe(true);
    expect(search("(?<week>\\d+)$", "Week 12")).toBe(true);
    expect(search("^a[^]b$", "a\nb")).toBe(true);
    expect(search("a[]b", "ab")).toBe(false);
    expect(search("^\\d$", "٣")).toBe(false);
    expect(search("^.$", "😀")).toBe(true);
  });

  it("tests only the first MAX_SUBJECT_LENGTH characters", () => {
    expect(search("x$", `${"a".repeat(MAX_SUBJECT_LENGTH - 1)}x`)).toBe(true);
    expect(search("x$", `${"a".repeat(MAX_SUBJECT_LENGTH)}x`)).toBe(false);
  });

  it("caches per isolate, refused stored patterns as null", () => {
    expect(cachedTenantRegex("(a)\\1", false)).toBeNull();
    const first = cachedTenantRegex("^lec", false);
    expect(first?.test("Lecture")).toBe(true);
    expect(cachedTenantRegex("^lec", false)).toBe(first);
    expect(cachedTenantRegex("^lec", true)?.test("Lecture")).toBe(false);
  });
});

describe("matching rules schema", () => {
  it("trims, drops blanks and de-duplicates every list in order", () => {
    const rules = matchingRulesSchema.parse({
      exact_matches: ["  Math 101 ", "Math 101"],
      keywords: ["  foo ", "", "bar", "foo", "   "],
      patterns: [" ^a\\d ", "^a\\d"],
      exclude_keywords: ["x", " x"],
      exclude_patterns: ["", "draft"],
    });
    expect(rules).toEqual({
      exact_matches: ["Math 101"],
      keywords: ["foo", "bar"],
      patterns: ["^a\\d"],
      exclude_keywords: ["x"],
      exclude_patterns: ["draft"],
      case_sensitive: false,
    });
    expect(matchingRulesSchema.parse({ case_sensitive: true }).case_sensitive).toBe(true);
  });

  it("normalises source_ids: empty or null → null, duplicates removed, positive ints only", () => {
    expect(matchingRulesSchema.parse({ source_ids: [] }).source_ids).toBeNull();
    expect(matchingRulesSchema.parse({ source_ids: null }).source_ids).toBeNull();
    expect(matchingRulesSchema.parse({ source_ids: [3, 3, 5] }).source_ids).toEqual([3, 5]);
    expect(matchingRulesSchema.parse({}).source_ids).toBeUndefined();
    for (const bad of [[0], [-1], [1.5], ["1"]]) expect(matchingRulesSchema.safeParse({ source_ids: bad }).success).toBe(false);
  });

  it("points a bad pattern issue at the offending item, using the original index", () => {
    const result = matchingRulesSchema.safeParse({ patterns: ["ok", "", "(a)\\1"], exclude_patterns: ["("] });
    expect(result.success).toBe(false);
    const issues = result.error?.issues.map((issue) => ({ path: issue.path, message: issue.message }));
    expect(issues).toEqual([
      { path: ["patterns", 2], message: "backreference \\1 is not supported: the matching engine runs in linear time (RE2) and cannot express it" },
      { path: ["exclude_patterns", 0], message: "invalid regular expression: missing closing ): `(`" },
    ]);
  });

  it("rejects unknown keys, oversized lists and oversized items", () => {
    expect(matchingRulesSchema.safeParse({ keyword: ["x"] }).error?.issues[0]?.code).toBe("unrecognized_keys");
    expect(matchingRulesSchema.safeParse({ keywords: Array.from({ length: 101 }, (_, i) => `k${i}`) }).success).toBe(false);
    expect(matchingRulesSchema.safeParse({ keywords: Array.from({ length: 100 }, (_, i) => `k${i}`) }).success).toBe(true);
    expect(matchingRulesSchema.safeParse({ keywords: ["k".repeat(501)] }).success).toBe(false);
  });

  it("counts exact_matches, keywords, patterns and source_ids as positive rules", () => {
    const parse = (input: object): MatchingRules => matchingRulesSchema.parse(input);
    expect(hasPositiveRule(null)).toBe(false);
    expect(hasPositiveRule(parse({}))).toBe(false);
    expect(hasPositiveRule(parse({ keywords: [" "], source_ids: [], exclude_keywords: ["x"] }))).toBe(false);
    expect(hasPositiveRule(parse({ exact_matches: ["a"] }))).toBe(true);
    expect(hasPositiveRule(parse({ keywords: ["a"] }))).toBe(true);
    expect(hasPositiveRule(parse({ patterns: ["a"] }))).toBe(true);
    expect(hasPositiveRule(parse({ source_ids: [4] }))).toBe(true);
  });
});

/** Rules as stored; `raw` bypasses the schema to simulate legacy rows. */
const rules = (input: Partial<MatchingRules>): MatchingRules => ({ case_sensitive: false, ...input });
const rec = (displayName: string, inputSourceId: number | null = null) => ({ displayName, inputSourceId });
const matches = (input: Partial<MatchingRules>, name: string, source: number | null = null): boolean =>
  templateMatches(rules(input), rec(name, source));

describe("templateMatches (spec §6.4)", () => {
  it("exact_matches compare whole names, trimmed, case-insensitive unless case_sensitive", () => {
    expect(matches({ exact_matches: ["  Math 101 "] }, " math 101")).toBe(true);
    expect(matches({ exact_matches: ["Math 101"] }, "Math 1010")).toBe(false);
    expect(matches({ exact_matches: ["Math 101"], case_sensitive: true }, "math 101")).toBe(false);
    expect(matches({ exact_matches: ["Math 101"], case_sensitive: true }, "Math 101")).toBe(true);
  });

  it("keywords match substrings, case-insensitive unless case_sensitive", () => {
    expect(matches({ keywords: ["python"] }, "Advanced PYTHON course")).toBe(true);
    expect(matches({ keywords: ["python"], case_sensitive: true }, "Advanced PYTHON course")).toBe(false);
    expect(matches({ keywords: ["Лекция"] }, "лекция 3")).toBe(true);
    expect(matches({ keywords: ["java"] }, "Python")).toBe(false);
  });

  it("patterns search anywhere with IGNORECASE unless case_sensitive", () => {
    expect(matches({ patterns: ["\\d{3}"] }, "Room 101 lecture")).toBe(true);
    expect(matches({ patterns: ["^лекция \\d+"] }, "Лекция 5")).toBe(true);
    expect(matches({ patterns: ["^лекция \\d+"], case_sensitive: true }, "Лекция 5")).toBe(false);
    expect(matches({ patterns: ["^seminar"] }, "Lecture: seminar")).toBe(false);
  });

  it("source_ids restrict every other rule to the listed sources", () => {
    const scoped = { keywords: ["lecture"], source_ids: [1, 2] };
    expect(matches(scoped, "Lecture", 2)).toBe(true);
    expect(matches(scoped, "Lecture", 3)).toBe(false);
    expect(matches(scoped, "Lecture", null)).toBe(false);
    expect(matches(scoped, "Other", 1)).toBe(false);
  });

  it("a template with only source_ids matches every recording of those sources (→ fix)", () => {
    expect(matches({ source_ids: [7] }, "anything at all", 7)).toBe(true);
    expect(matches({ source_ids: [7] }, "anything at all", 8)).toBe(false);
    expect(matches({ source_ids: [7] }, "anything at all", null)).toBe(false);
    expect(matches({ source_ids: [7], exclude_keywords: ["test"] }, "Test run", 7)).toBe(false);
  });

  it("exclude_keywords and exclude_patterns skip the template even when a rule matches", () => {
    expect(matches({ keywords: ["lecture"], exclude_keywords: ["draft"] }, "Lecture (DRAFT)")).toBe(false);
    expect(matches({ keywords: ["lecture"], exclude_keywords: ["draft"] }, "Lecture 1")).toBe(true);
    expect(matches({ exact_matches: ["Lecture"], exclude_keywords: ["lec"] }, "Lecture")).toBe(false);
    expect(matches({ keywords: ["lecture"], exclude_patterns: ["test\\s*\\d"] }, "Lecture TEST 3")).toBe(false);
    expect(matches({ keywords: ["lecture"], exclude_patterns: ["test\\s*\\d"] }, "Lecture test")).toBe(true);
    expect(matches({ keywords: ["Lecture"], exclude_keywords: ["draft"], case_sensitive: true }, "Lecture DRAFT")).toBe(true);
  });

  it("skips invalid or refused stored patterns instead of throwing", () => {
    expect(matches({ patterns: ["(", "(a)\\1", "lecture"] }, "Lecture")).toBe(true);
    expect(matches({ patterns: ["(", "(?=a)"] }, "aaaaaaaaaaaaaaaaaaaaaaaaaaaa!")).toBe(false);
    expect(matches({ keywords: ["lecture"], exclude_patterns: ["(?<=x)a"] }, "Lecture")).toBe(true);
    expect(matches({ source_ids: [1], patterns: ["("] }, "Lecture", 1)).toBe(false);
  });

  it("never matches without rules or positive rules", () => {
    expect(templateMatches(null, rec("Lecture"))).toBe(false);
    expect(matches({}, "Lecture")).toBe(false);
    expect(matches({ exclude_keywords: ["x"] }, "Lecture")).toBe(false);
    expect(matches({ keywords: ["", "  "] }, "Lecture")).toBe(false);
  });
});

let nextId = 1;
const template = (input: Partial<MatchingRules>, day: number, extra: Partial<MatchableTemplate> = {}) => ({
  id: nextId++,
  name: `t${day}`,
  isActive: true,
  isDraft: false,
  createdAt: new Date(Date.UTC(2026, 0, day)),
  matchingRules: rules(input),
  ...extra,
});

describe("findMatchingTemplate (§13 template_matcher)", () => {
  it("returns the first template matching by name, or null", () => {
    const math = template({ exact_matches: ["Math"] }, 1);
    const physics = template({ keywords: ["physics"] }, 2);
    expect(findMatchingTemplate(rec("Physics 1"), [math, physics])).toBe(physics);
    expect(findMatchingTemplate(rec("Math"), [math, physics])).toBe(math);
    expect(findMatchingTemplate(rec("Chemistry"), [math, physics])).toBeNull();
    expect(findMatchingTemplate(rec("Math"), [])).toBeNull();
  });

  it("picks the earliest created template whatever the input order; ties go to the lower id", () => {
    const newer = template({ keywords: ["lecture"] }, 5);
    const older = template({ patterns: ["^lec"] }, 3);
    const input = [newer, older];
    expect(findMatchingTemplate(rec("Lecture 1"), input)).toBe(older);
    expect(input).toEqual([newer, older]);
    const sameDayHigh = template({ keywords: ["lecture"] }, 1, { id: 900 });
    const sameDayLow = template({ keywords: ["lecture"] }, 1, { id: 899 });
    expect(findMatchingTemplate(rec("Lecture 1"), [sameDayHigh, sameDayLow, older])).toBe(sameDayLow);
  });

  it("excludes drafts, inactive templates and templates without rules", () => {
    const draft = template({ keywords: ["lecture"] }, 1, { isDraft: true });
    const inactive = template({ keywords: ["lecture"] }, 2, { isActive: false });
    const empty = template({}, 3, { matchingRules: null });
    const live = template({ keywords: ["lecture"] }, 4);
    expect(findMatchingTemplate(rec("Lecture"), [draft, inactive, empty, live])).toBe(live);
    expect(findMatchingTemplate(rec("Lecture"), [draft, inactive, empty])).toBeNull();
  });

  it("lets an excluded or out-of-source template fall through to the next one", () => {
    const excluded = template({ keywords: ["lecture"], exclude_keywords: ["draft"] }, 1);
    const otherSource = template({ keywords: ["lecture"], source_ids: [9] }, 2);
    const fallback = template({ source_ids: [4] }, 3);
    expect(findMatchingTemplate(rec("Lecture draft", 4), [excluded, otherSource, fallback])).toBe(fallback);
    expect(findMatchingTemplate(rec("Lecture", 9), [excluded, otherSource, fallback])).toBe(excluded);
    expect(findMatchingTemplate(rec("Lecture draft", 9), [excluded, otherSource, fallback])).toBe(otherSource);
  });
});

describe("mergePatch (RFC 7396 appendix A)", () => {
  it.each([
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [["a", "b"], ["c", "d"], ["c", "d"]],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])("%j + %j = %j", (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });

  it("never mutates or aliases its inputs and ignores __proto__ keys", () => {
    const target = { a: { b: [1] }, keep: true };
    const patch = { a: { c: { d: 1 } } };
    const result = mergePatch(target, patch);
    expect(result).toEqual({ a: { b: [1], c: { d: 1 } }, keep: true });
    expect(target).toEqual({ a: { b: [1] }, keep: true });
    expect(patch).toEqual({ a: { c: { d: 1 } } });
    const a = result.a;
    if (!isPlainObject(a)) throw new Error("expected an object");
    expect(a.b).not.toBe(target.a.b);
    expect(a.c).not.toBe(patch.a.c);
    const evil = mergePatch({}, JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(evil)).toBe(Object.prototype);
    expect(Object.keys(evil)).toEqual([]);
  });

  it("isPlainObject accepts only plain objects", () => {
    expect([{}, Object.create(null), { a: 1 }].every(isPlainObject)).toBe(true);
    expect([null, [], "x", 1, new Date(), new Map()].some(isPlainObject)).toBe(false);
  });
});

describe("resolveLayers", () => {
  it("deep-merges low → high; null/undefined inherit; false, 0, '' and [] override", () => {
    const low = { a: { x: 1, y: [1, 2], z: "keep" }, flag: true, n: 5, s: "s", list: [1], gone: null };
    const high = { a: { x: null, y: [3] }, flag: false, n: 0, s: "", list: [], extra: undefined };
    expect(resolveLayers(low, high)).toEqual({
      a: { x: 1, y: [3], z: "keep" },
      flag: false,
      n: 0,
      s: "",
      list: [],
      gone: null,
    });
  });

  it("applies several layers in order, replaces objects by scalars and back, ignores non-object layers", () => {
    expect(resolveLayers({ a: 1 }, null, { a: 2 }, undefined, { a: 3, b: 1 }, "junk", [1])).toEqual({ a: 3, b: 1 });
    expect(resolveLayers({ a: { b: 1 } }, { a: 5 })).toEqual({ a: 5 });
    expect(resolveLayers({ a: 5 }, { a: { b: 1, c: null } })).toEqual({ a: { b: 1 } });
    expect(resolveLayers({ keep: null }, { added: null, keep: null })).toEqual({ keep: null });
    expect(resolveLayers()).toEqual({});
  });

  it("never mutates its inputs (frozen layers work) and returns fresh objects", () => {
    const base = Object.freeze({ a: Object.freeze({ b: 1 }) });
    const result = resolveLayers(base, { a: { c: 2 } });
    expect(result).toEqual({ a: { b: 1, c: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
    expect(resolveLayers(base).a).not.toBe(base.a);
  });
});

describe("DEFAULT_USER_CONFIG (§11.3)", () => {
  it("holds the LEAP defaults for every section", () => {
    const d = defaultUserConfig();
    expect(Object.keys(d)).toEqual(["processing", "transcription", "download", "upload", "metadata", "retention", "platforms", "notifications"]);
    expect(d.processing).toEqual({
      enable_processing: true,
      audio_detection: true,
      silence_threshold: -40,
      min_silence_duration: 2,
      padding_before: 5,
      padding_after: 5,
    });
    expect(d.transcription).toMatchObject({ provider: "fireworks", language: "ru", granularity: "long", subtitle_formats: ["srt", "vtt"] });
    expect(d.download).toEqual({
      auto_download: false,
      max_file_size_mb: 5000,
      quality: "high",
      retry_attempts: 3,
      retry_delay: 5,
      // LEAP's hard-coded blank-recording rule (§5.1), made configurable.
      blank_min_duration_minutes: 20,
      blank_min_size_mb: 25,
    });
    expect(d.upload).toEqual({ auto_upload: false, upload_captions: true, default_platforms: [], default_preset_ids: {} });
    expect(d.metadata).toMatchObject({ title_template: "{display_name} | {topic} ({date})", thumbnail_name: null, category: null });
    expect(d.metadata.topics_display).toMatchObject({ format: "numbered_list", separator: "\n", prefix: "Темы:", max_count: 999 });
    expect(d.retention).toEqual({ soft_delete_days: 3, hard_delete_days: 30, auto_expire_days: 90 });
    expect(d.platforms.vk_video).toEqual({ enabled: false, default_privacy: "0", privacy_comment: "1", no_comments: false, repeat: false });
    // Not in LEAP: every e-mail notification is on until the user turns it off.
    expect(d.notifications).toEqual({ email: { run_failed: true, credential_needs_reauth: true, quota_nearly_used: true, webhook_endpoint_disabled: true } });
    expect(d).toEqual(DEFAULT_USER_CONFIG);
  });

  it("is deeply frozen, and defaultUserConfig() hands out independent copies", () => {
    expect(Object.isFrozen(DEFAULT_USER_CONFIG.metadata.topics_display)).toBe(true);
    expect(Object.isFrozen(DEFAULT_USER_CONFIG.transcription.subtitle_formats)).toBe(true);
    const copy = defaultUserConfig();
    copy.transcription.subtitle_formats.push("srt");
    copy.retention.auto_expire_days = 1;
    expect(defaultUserConfig().transcription.subtitle_formats).toEqual(["srt", "vtt"]);
    expect(defaultUserConfig().retention.auto_expire_days).toBe(90);
  });
});

describe("resolveConfig precedence (§6.5, §13 config_resolver)", () => {
  it("returns the defaults when nothing overrides them", () => {
    expect(resolveConfig({ user: {} })).toEqual(defaultUserConfig());
  });

  it("user config overrides defaults key by key", () => {
    const cfg = resolveConfig({ user: { transcription: { language: "en" }, retention: { auto_expire_days: 0 } } });
    expect(cfg.transcription.language).toBe("en");
    expect(cfg.transcription.provider).toBe("fireworks");
    expect(cfg.retention).toEqual({ soft_delete_days: 3, hard_delete_days: 30, auto_expire_days: 0 });
  });

  it("template transcription overrides user transcription keys only where set; null inherits", () => {
    const cfg = resolveConfig({
      user: { transcription: { language: "en", enable_topics: false, prompt: "user" } },
      template: { processing_config: { transcription: { enable_topics: true, granularity: "short", prompt: null } } },
    });
    expect(cfg.transcription).toMatchObject({ language: "en", enable_topics: true, granularity: "short", prompt: "user", provider: "fireworks" });
  });

  it("recording override beats template, request beats recording", () => {
    const template = { processing_config: { transcription: { granularity: "short", language: "de" } } };
    const recording = { processing_config: { transcription: { granularity: "long" } } };
    expect(resolveConfig({ user: {}, template, recording }).transcription).toMatchObject({ granularity: "long", language: "de" });
    const request = { processing_config: { transcription: { granularity: "medium" } } };
    expect(resolveConfig({ user: {}, template, recording, request }).transcription.granularity).toBe("medium");
  });

  it("explicit false, 0, '' and [] win over lower layers", () => {
    const cfg = resolveConfig({
      user: { transcription: { prompt: "terms" } },
      template: { processing_config: { enable_processing: true, padding_before: 3 }, output_config: { preset_ids: [1, 2] } },
      recording: { processing_config: { enable_processing: false, padding_before: 0 } },
      request: { processing_config: { transcription: { prompt: "" } }, output_config: { preset_ids: [] } },
    });
    expect(cfg.processing.enable_processing).toBe(false);
    expect(cfg.processing.padding_before).toBe(0);
    expect(cfg.transcription.prompt).toBe("");
    expect(cfg.upload.preset_ids).toEqual([]);
  });

  it("maps LEAP's flat processing_config keys into processing and section keys into their sections", () => {
    const cfg = resolveConfig({
      user: {},
      template: { processing_config: { enable_processing: false, silence_threshold: -30, allow_skipped: true, transcription: null } },
      request: { processing_config: { processing: { padding_after: 1 }, download: { retry_attempts: 5 } } },
    });
    expect(cfg.processing).toMatchObject({ enable_processing: false, silence_threshold: -30, allow_skipped: true, padding_after: 1, padding_before: 5 });
    expect(cfg.download.retry_attempts).toBe(5);
    expect(cfg.processing).not.toHaveProperty("transcription");
  });

  it("honours the request output_config and merges output layers instead of replacing them (→ fix)", () => {
    const cfg = resolveConfig({
      user: { upload: { default_platforms: ["youtube"] } },
      template: { output_config: { preset_ids: [3], auto_upload: false, upload_captions: false } },
      recording: { output_config: { default_platforms: ["vk"] } },
      request: { output_config: { auto_upload: true } },
    });
    expect(cfg.upload).toEqual({
      auto_upload: true,
      upload_captions: false,
      preset_ids: [3],
      default_platforms: ["vk"],
      default_preset_ids: {},
    });
  });

  it("merges metadata_config into metadata, platform blocks included", () => {
    const cfg = resolveConfig({
      user: { metadata: { tags: ["math"] } },
      template: { metadata_config: { title_template: "{display_name}", youtube: { privacy: "public" } } },
      request: { metadata_config: { youtube: { playlist_id: "PL1" } } },
    });
    expect(cfg.metadata).toMatchObject({ title_template: "{display_name}", tags: ["math"], youtube: { privacy: "public", playlist_id: "PL1" } });
    expect(cfg.metadata.topics_display.prefix).toBe("Темы:");
  });

  it("leaves inputs and defaults untouched", () => {
    const user = { transcription: { language: "en" } };
    const cfg = resolveConfig({ user, request: { processing_config: { transcription: { language: "fr" } } } });
    cfg.transcription.subtitle_formats.push("srt");
    expect(user).toEqual({ transcription: { language: "en" } });
    expect(DEFAULT_USER_CONFIG.transcription.language).toBe("ru");
    expect(resolveConfig({ user: {} }).transcription.subtitle_formats).toEqual(["srt", "vtt"]);
  });

  it("effectiveUserConfig = defaults ← stored, where a stored null inherits the default", () => {
    expect(effectiveUserConfig(null)).toEqual(defaultUserConfig());
    const cfg = effectiveUserConfig({ retention: { auto_expire_days: null, soft_delete_days: 7 }, processing: { allow_skipped: true } });
    expect(cfg.retention).toEqual({ soft_delete_days: 7, hard_delete_days: 30, auto_expire_days: 90 });
    expect(cfg.processing.allow_skipped).toBe(true);
  });
});

describe("userConfigPatchSchema", () => {
  it("accepts a partial patch without injecting defaults", () => {
    const patch = { transcription: { language: "en", subtitle_formats: ["vtt"] }, retention: { auto_expire_days: 0 }, processing: { allow_skipped: true } };
    expect(userConfigPatchSchema.parse(patch)).toEqual(patch);
    expect(userConfigPatchSchema.parse({})).toEqual({});
  });

  it("accepts null for keys and whole sections, and a PATCH then reset round-trips", () => {
    const patch = { metadata: { thumbnail_name: null, topics_display: { prefix: null } }, platforms: null };
    expect(userConfigPatchSchema.parse(patch)).toEqual(patch);
    const stored = mergePatch({}, userConfigPatchSchema.parse({ retention: { auto_expire_days: 0 } }));
    expect(effectiveUserConfig(stored).retention.auto_expire_days).toBe(0);
    const reset = mergePatch(stored, userConfigPatchSchema.parse({ retention: { auto_expire_days: null } }));
    expect(reset).toEqual({ retention: {} });
    expect(effectiveUserConfig(reset).retention.auto_expire_days).toBe(90);
  });

  it.each([
    [{ output: {} }, []],
    [{ processing: { foo: 1 } }, ["processing"]],
    [{ metadata: { topics_display: { colour: "red" } } }, ["metadata", "topics_display"]],
  ])("rejects unknown keys %j", (input, path) => {
    const issue = userConfigPatchSchema.safeParse(input).error?.issues[0];
    expect(issue?.code).toBe("unrecognized_keys");
    expect(issue?.path).toEqual(path);
  });

  it.each([
    ["retention", "soft_delete_days", 0],
    ["retention", "soft_delete_days", 91],
    ["retention", "hard_delete_days", 366],
    ["retention", "auto_expire_days", 731],
    ["retention", "auto_expire_days", -1],
    ["retention", "auto_expire_days", 1.5],
    ["processing", "padding_before", 61],
    ["processing", "silence_threshold", 1],
    ["processing", "allow_skipped", "yes"],
    ["transcription", "language", "e"],
    ["transcription", "granularity", "huge"],
    ["transcription", "provider", "p".repeat(51)],
    ["transcription", "provider", "whisper-somewhere"],
    ["transcription", "subtitle_formats", ["srt", "srt"]],
    ["transcription", "subtitle_formats", ["mp4"]],
    ["download", "max_file_size_mb", 0],
    ["download", "max_file_size_mb", 100_001],
    ["upload", "default_platforms", ["tiktok"]],
    ["metadata", "topics_display", { format: "table" }],
    ["platforms", "youtube", { default_privacy: "secret" }],
    ["platforms", "vk_video", { privacy_comment: "4" }],
  ])("rejects %s.%s = %j", (section, key, value) => {
    const result = userConfigPatchSchema.safeParse({ [section]: { [key]: value } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.slice(0, 2)).toEqual([section, key]);
  });

  it.each([
    ["retention", { soft_delete_days: 1, hard_delete_days: 365, auto_expire_days: 730 }],
    ["processing", { silence_threshold: -40, min_silence_duration: 0.5, padding_before: 0, padding_after: 60 }],
    ["transcription", { granularity: "medium", language: "pt-BR", provider: "fireworks-batch" }],
    ["platforms", { youtube: { default_privacy: "private" }, vk_video: { default_privacy: "3" } }],
  ])("accepts boundary values in %s", (section, value) => {
    expect(userConfigPatchSchema.safeParse({ [section]: value }).success).toBe(true);
  });
});

describe("parseFilterDate (§3.0)", () => {
  const start = "2024-03-05T00:00:00.000Z";
  const end = "2024-03-05T23:59:59.999Z";

  it.each(["2024-03-05", "05-03-2024", "05/03/2024", "05-03-24", "05/03/24", "5-3-2024", " 2024-03-05 "])(
    "parses %j as a UTC day, start or inclusive end",
    (value) => {
      expect(parseFilterDate(value, false)?.toISOString()).toBe(start);
      expect(parseFilterDate(value, true)?.toISOString()).toBe(end);
    },
  );

  it("maps two-digit years to 2000+yy and knows leap years", () => {
    expect(parseFilterDate("01/01/99", false)?.toISOString()).toBe("2099-01-01T00:00:00.000Z");
    expect(parseFilterDate("29-02-2024", true)?.toISOString()).toBe("2024-02-29T23:59:59.999Z");
  });

  it.each(["31-02-2024", "29-02-2023", "2024-13-01", "2024-02-30", "00-01-2024", "32/01/24", "05-03/2024", "2024/03/05", "yesterday", "", "2024-03-05T25:00:00Z", "2024-02-30T10:00:00Z"])(
    "rejects %j",
    (value) => {
      expect(parseFilterDate(value, false)).toBeNull();
      expect(parseFilterDate(value, true)).toBeNull();
    },
  );

  it("returns full ISO-8601 timestamps as is, even for end of day", () => {
    expect(parseFilterDate("2024-03-05T10:15:00Z", true)?.toISOString()).toBe("2024-03-05T10:15:00.000Z");
    expect(parseFilterDate("2024-03-05T10:15:30.250+03:00", false)?.toISOString()).toBe("2024-03-05T07:15:30.250Z");
    expect(parseFilterDate("2024-03-05T10:15", false)?.toISOString()).toBe("2024-03-05T10:15:00.000Z");
  });
});

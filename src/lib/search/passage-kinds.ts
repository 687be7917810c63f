/** What a searchable passage of a recording is; the search index keeps one FTS5 column per kind. */
export const PASSAGE_KINDS = ["title", "topic", "chapter", "summary", "transcript"] as const;
export type PassageKind = (typeof PASSAGE_KINDS)[number];

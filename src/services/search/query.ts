import { badRequest } from "../../lib/errors";

/** Longest query accepted, in characters (the route refuses longer ones with a 400 first). */
export const MAX_QUERY_CHARS = 256;
/** Words and phrases per query: each is one FTS5 term, so this bounds the work a query costs. */
export const MAX_QUERY_TERMS = 12;
const MAX_TOKEN_CHARS = 64;
/** A prefix shorter than this would expand to most of the vocabulary; it is matched as a whole word. */
const MIN_PREFIX_CHARS = 2;

export interface QueryTerm {
  tokens: string[];
  prefix: boolean;
}

/**
 * The characters FTS5's unicode61 tokenizer keeps in a token (letters, numbers, private use): the
 * query is cut exactly where the index was, so every token we quote can match.
 */
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;

/** ё/Ё are indexed as е/Е (unicode61's remove_diacritics folds Latin letters only). */
export const foldYo = (text: string): string => text.replace(/ё/g, "е").replace(/Ё/g, "Е");

function tokensOf(text: string): string[] {
  return (foldYo(text).match(TOKEN) ?? []).map((t) => t.slice(0, MAX_TOKEN_CHARS));
}

/**
 * User syntax: words (all must match), `"a phrase"`, `word*` for a prefix; the last bare word is
 * a prefix too (search as you type). Everything else — FTS5 operators, quotes without a partner,
 * `NEAR(`, `-`, `:`, `^` — is only a separator: no user character ever reaches MATCH unquoted.
 */
export function parseQuery(raw: string): QueryTerm[] {
  if (raw.length > MAX_QUERY_CHARS) throw badRequest(`The query is longer than ${MAX_QUERY_CHARS} characters`);
  const terms: Array<QueryTerm & { bare: boolean }> = [];
  const parts = raw.split('"');
  // With an odd number of quotes the last one has no partner: its text is read as bare words.
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  parts.forEach((part, i) => {
    const quoted = i % 2 === 1 && i < closed;
    if (quoted) {
      const tokens = tokensOf(part);
      if (tokens.length) terms.push({ tokens, prefix: false, bare: false });
      return;
    }
    for (const word of part.split(/\s+/)) {
      const tokens = tokensOf(word);
      if (!tokens.length) continue;
      // A word that is several tokens ("e-mail", "NEAR(x") is matched as their phrase, as it was indexed.
      const starred = /\*[^\p{L}\p{N}\p{Co}]*$/u.test(word) && (tokens.at(-1)?.length ?? 0) >= MIN_PREFIX_CHARS;
      terms.push({ tokens, prefix: starred, bare: true });
    }
  });
  if (terms.length === 0) throw badRequest("The query has no words to search for");
  if (terms.length > MAX_QUERY_TERMS) throw badRequest(`The query has more than ${MAX_QUERY_TERMS} words or phrases`);
  const last = terms.at(-1)!;
  const endsWithSpace = /\s$/.test(raw);
  if (last.bare && !endsWithSpace && (last.tokens.at(-1)?.length ?? 0) >= MIN_PREFIX_CHARS) last.prefix = true;
  return terms.map(({ tokens, prefix }) => ({ tokens, prefix }));
}

/** FTS5 MATCH text: every term a double-quoted string of plain tokens (implicit AND between terms). */
export function toMatchExpression(terms: QueryTerm[], column?: string): string {
  const expression = terms.map((t) => `"${t.tokens.join(" ")}"${t.prefix ? "*" : ""}`).join(" ");
  return column ? `{${column}} : (${expression})` : expression;
}

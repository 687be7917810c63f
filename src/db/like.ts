import { sql, type SQL, type AnyColumn } from "drizzle-orm";

/** `column LIKE '%term%'` with the term's own `%`, `_` and `\` taken literally. */
export function containsLike(column: AnyColumn, term: string): SQL {
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}

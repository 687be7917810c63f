import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../middleware/auth";
import { apiRateLimit } from "../../middleware/rate-limit";
import { PASSAGE_KINDS } from "../../lib/search/passage-kinds";
import { MAX_QUERY_CHARS } from "../../services/search/query";
import { authErrors, errorResponse, jsonContent } from "../common/schemas";

const authed = { tags: ["Search"], security: [{ bearerAuth: [] }], middleware: [requireAuth, apiRateLimit] };
const unavailable = { 503: errorResponse("The search index could not be reached; retry after Retry-After seconds") };

export const SearchQuerySchema = z.object({
  // Not trimmed: a trailing space ends the last word (no automatic prefix); blank queries get a 400 from the parser.
  q: z
    .string()
    .min(1)
    .max(MAX_QUERY_CHARS)
    .openapi({
      description:
        'Words (all must match), "a phrase", word* for a prefix; the last word is a prefix too. Case, Latin diacritics and ё/е are ignored.',
      example: "линейная алгебр",
    }),
  limit: z.coerce.number().int().min(1).max(50).default(20).openapi({ description: "Recordings to return" }),
  hits: z.coerce.number().int().min(1).max(10).default(3).openapi({ description: "Matches shown per recording" }),
});

const HitSchema = z.object({
  field: z.enum(PASSAGE_KINDS).openapi({ description: "Where the match is: title, topic, chapter, summary or transcript" }),
  snippet: z.string().openapi({ description: "HTML-escaped text with the matched words in <mark>…</mark>", example: "…введение в <mark>линейную</mark> алгебру…" }),
  seconds: z.number().nullable().openapi({ description: "Second of the video to jump to (chapters and transcript); null otherwise" }),
});

export const SearchResultSchema = z
  .object({
    query: z.string(),
    total: z.number().int().openapi({ description: "Recordings in this answer" }),
    results: z.array(
      z.object({
        recording_id: z.number().int(),
        display_name: z.string(),
        start_time: z.string(),
        score: z.number().openapi({ description: "Relevance (higher is better); a title match outweighs a transcript mention" }),
        hits: z.array(HitSchema),
      }),
    ),
  })
  .openapi("SearchResults");

export const search = createRoute({
  ...authed,
  method: "get",
  path: "/",
  summary: "Search the caller's recordings: names, topics, chapters, summaries and transcripts, grouped by recording",
  request: { query: SearchQuerySchema },
  responses: { 200: jsonContent(SearchResultSchema, "Matches, most relevant recording first"), ...authErrors, ...unavailable },
});

export const reindex = createRoute({
  ...authed,
  method: "post",
  path: "/reindex",
  summary: "Rebuild the caller's search index from the stored recordings and transcripts (runs in the background)",
  responses: {
    202: jsonContent(z.object({ message: z.string(), status: z.literal("queued") }), "The rebuild is queued"),
    ...authErrors,
    ...unavailable,
  },
});

export const status = createRoute({
  ...authed,
  method: "get",
  path: "/status",
  summary: "Size of the caller's search index",
  responses: {
    200: jsonContent(
      z.object({ passages: z.number().int(), recordings: z.number().int(), hidden_recordings: z.number().int(), size_bytes: z.number().int() }),
      "Index statistics",
    ),
    ...authErrors,
    ...unavailable,
  },
});

import type { components, paths } from "../../api/schema";

type ListQuery = NonNullable<paths["/api/v1/recordings"]["get"]["parameters"]["query"]>;
type BooleanKey = "mapped" | "failed" | "include_blank" | "include_deleted";

/** Every filter of GET /recordings as URL state (booleans as booleans; the API wants "true"/"false"). */
export type RecordingsSearch = Partial<Omit<ListQuery, BooleanKey | "status_filter"> & Record<BooleanKey, boolean>>;

export const STATUS_FILTERS = [
  "PENDING_SOURCE",
  "INITIALIZED",
  "DOWNLOADING",
  "DOWNLOADED",
  "PROCESSING",
  "PROCESSED",
  "TRANSCRIBING",
  "PREPARING",
  "TRANSCRIBED",
  "UPLOADING",
  "UPLOADED",
  "READY",
  "SKIPPED",
  "EXPIRED",
  "FAILED",
] as const;
// Fails to compile when the API gains a status this list does not offer.
type MissingStatus = Exclude<components["schemas"]["Recording"]["status"], (typeof STATUS_FILTERS)[number]>;
const everyStatusListed: [MissingStatus] extends [never] ? true : false = true;
void everyStatusListed;

export const ORDER_BY = ["start_time", "created_at", "updated_at", "display_name", "duration", "status", "id"] as const satisfies readonly NonNullable<
  ListQuery["order_by"]
>[];
/** The page sizes offered; a link may carry any size from 1 to 100 (the API's limit). */
export const PER_PAGE = [10, 20, 50, 100] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const text = (v: unknown, max: number) => (typeof v === "string" && v.trim() !== "" ? v.trim().slice(0, max) : undefined);
const positiveInt = (v: unknown, max: number) => {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
};
const bool = (v: unknown) => (v === true || v === "true" ? true : v === false || v === "false" ? false : undefined);
const oneOf = <T,>(v: unknown, options: readonly T[]): T | undefined => ((options as readonly unknown[]).includes(v) ? (v as T) : undefined);

/** Keeps the valid filters of a URL and drops the rest, so a hand-edited link never breaks the page. */
export function validateRecordingsSearch(raw: Record<string, unknown>): RecordingsSearch {
  const statuses = text(raw.status, 400)
    ?.split(",")
    .map((s) => s.trim().toUpperCase())
    .filter((s): s is (typeof STATUS_FILTERS)[number] => (STATUS_FILTERS as readonly string[]).includes(s));
  const search: RecordingsSearch = {
    search: text(raw.search, 200),
    status: statuses && statuses.length > 0 ? [...new Set(statuses)].join(",") : undefined,
    template_id: positiveInt(raw.template_id, Number.MAX_SAFE_INTEGER),
    source_id: positiveInt(raw.source_id, Number.MAX_SAFE_INTEGER),
    mapped: bool(raw.mapped),
    failed: bool(raw.failed),
    include_blank: bool(raw.include_blank),
    include_deleted: bool(raw.include_deleted),
    from_date: typeof raw.from_date === "string" && DATE.test(raw.from_date) ? raw.from_date : undefined,
    to_date: typeof raw.to_date === "string" && DATE.test(raw.to_date) ? raw.to_date : undefined,
    page: positiveInt(raw.page, 100_000),
    per_page: positiveInt(raw.per_page, 100),
    order_by: oneOf(raw.order_by, ORDER_BY),
    order: oneOf(raw.order, ["asc", "desc"] as const),
  };
  return Object.fromEntries(Object.entries(search).filter(([, v]) => v !== undefined)) as RecordingsSearch;
}

/** The URL state as the API's query. */
export function toListQuery(search: RecordingsSearch): ListQuery {
  const { mapped, failed, include_blank, include_deleted, ...rest } = search;
  const flag = (v: boolean | undefined) => (v === undefined ? undefined : v ? ("true" as const) : ("false" as const));
  const query: ListQuery = { ...rest, mapped: flag(mapped), failed: flag(failed), include_blank: flag(include_blank), include_deleted: flag(include_deleted) };
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as ListQuery;
}

/** The detail page's URL state: `t`, the second the player starts at (a search hit's link). */
export function validateRecordingDetailSearch(raw: Record<string, unknown>): { t?: number } {
  const n = typeof raw.t === "number" ? raw.t : typeof raw.t === "string" ? Number(raw.t) : Number.NaN;
  return Number.isFinite(n) && n >= 0 && n <= 1_000_000 ? { t: Math.floor(n) } : {};
}

import { and, eq, gte, inArray, lte, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { containsLike } from "../like";
import { recordings, type RecordingStatus } from "../schema";

export const RECORDING_ORDER_COLUMNS = {
  created_at: recordings.createdAt,
  start_time: recordings.startTime,
  updated_at: recordings.updatedAt,
  display_name: recordings.searchName,
  duration: recordings.duration,
  status: recordings.status,
  id: recordings.id,
} as const;
export type RecordingOrderColumn = keyof typeof RECORDING_ORDER_COLUMNS;

export interface RecordingFilters {
  statuses?: Array<RecordingStatus | "FAILED">;
  templateId?: number;
  sourceId?: number;
  mapped?: boolean;
  failed?: boolean;
  includeBlank?: boolean;
  includeDeleted?: boolean;
  search?: string;
  fromDate?: Date;
  toDate?: Date;
  ids?: number[];
}

/** Up to this many ids, a filtered list is read by primary key rather than along an index. */
const FEW_IDS = 500;

/** `column IN (…)` for any number of ids as one bound parameter (D1 allows 100 per statement). */
export const idInJsonArray = (column: SQLWrapper, ids: number[]): SQL => sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;

/** The WHERE of a tenant's recording list, bulk selection or export: `user_id` first, always. */
export function recordingFiltersWhere(userId: string, filters: RecordingFilters): SQL {
  // A few ids (a rare search term, a chosen set) are looked up by primary key and sorted: `+user_id`
  // keeps the tenant condition but takes the (user_id, …) indexes out of SQLite's choice, which
  // would otherwise walk every visible row of the tenant in list order to find them.
  const fewIds = filters.ids !== undefined && filters.ids.length <= FEW_IDS;
  const conditions: Array<SQL | undefined> = [fewIds ? sql`+${recordings.userId} = ${userId}` : eq(recordings.userId, userId)];
  if (!filters.includeDeleted) conditions.push(eq(recordings.deleted, false));
  if (!filters.includeBlank) conditions.push(eq(recordings.blankRecord, false));
  if (filters.templateId !== undefined) conditions.push(eq(recordings.templateId, filters.templateId));
  if (filters.sourceId !== undefined) conditions.push(eq(recordings.inputSourceId, filters.sourceId));
  if (filters.mapped !== undefined) conditions.push(eq(recordings.isMapped, filters.mapped));
  if (filters.failed !== undefined) conditions.push(eq(recordings.failed, filters.failed));
  if (filters.fromDate) conditions.push(gte(recordings.startTime, filters.fromDate));
  if (filters.toDate) conditions.push(lte(recordings.startTime, filters.toDate));
  if (filters.ids) conditions.push(filters.ids.length <= 50 ? inArray(recordings.id, filters.ids) : idInJsonArray(recordings.id, filters.ids));
  // Text search is answered by the tenant's search index: services resolve `search` into `ids`
  // first (services/search resolveSearchFilter). A caller that has not still gets a correct scan.
  if (filters.search) conditions.push(containsLike(recordings.searchName, filters.search.toLowerCase()));
  if (filters.statuses?.length) {
    const plain = filters.statuses.filter((s): s is RecordingStatus => s !== "FAILED");
    const wantsFailed = filters.statuses.includes("FAILED");
    const byStatus = plain.length ? inArray(recordings.status, plain) : undefined;
    conditions.push(wantsFailed ? or(byStatus, eq(recordings.failed, true)) : byStatus);
  }
  return and(...conditions) as SQL;
}

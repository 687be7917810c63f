import { and, eq, inArray, notInArray, or, sql, type SQL } from "drizzle-orm";
import { recordings, recordingTallies, type RecordingStatus } from "../schema";
import { idInJsonArray, recordingFiltersWhere, type RecordingFilters } from "./recording-filters";

/**
 * The number of recordings matching the filters, as one SQL expression.
 *
 * Filters made only of equalities the tallies keep (status, failed, template, source, mapped and the
 * visibility flags) are summed from `recording_tallies`: a few rows per combination that exists,
 * whatever the tenant's size. A date range, an id set or a name search is counted over the
 * recordings' covering indexes.
 */
export function recordingsCount(userId: string, filters: RecordingFilters): SQL<number> {
  return talliesAnswer(filters) ? talliedCount(userId, filters) : countedRows(userId, filters);
}

const talliesAnswer = (f: RecordingFilters) => f.fromDate === undefined && f.toDate === undefined && f.ids === undefined && f.search === undefined;

function talliedCount(userId: string, f: RecordingFilters): SQL<number> {
  const t = recordingTallies;
  const plain = (f.statuses ?? []).filter((s): s is RecordingStatus => s !== "FAILED");
  const wantsFailed = f.statuses?.includes("FAILED") ?? false;
  const byStatus = plain.length ? inArray(t.status, plain) : undefined;
  const where = and(
    eq(t.userId, userId),
    f.includeDeleted ? undefined : eq(t.deleted, false),
    f.includeBlank ? undefined : eq(t.blankRecord, false),
    f.templateId === undefined ? undefined : eq(t.templateId, f.templateId),
    f.sourceId === undefined ? undefined : eq(t.inputSourceId, f.sourceId),
    f.mapped === undefined ? undefined : eq(t.isMapped, f.mapped),
    f.failed === undefined ? undefined : eq(t.failed, f.failed),
    wantsFailed ? or(byStatus, eq(t.failed, true)) : byStatus,
  );
  return sql<number>`(SELECT coalesce(sum(${t.n}), 0) FROM ${t} WHERE ${where})`;
}

/**
 * Counted over the recordings. "FAILED" among the statuses means `status IN (…) OR failed`, which
 * no index answers: it is counted as two index ranges, the statuses and then the failed rows not
 * already counted, instead of a walk over every visible row.
 */
function countedRows(userId: string, filters: RecordingFilters): SQL<number> {
  const statuses = filters.statuses ?? [];
  const countWhere = (where: SQL | undefined) => sql<number>`(SELECT count(*) FROM ${recordings} WHERE ${where})`;
  if (!statuses.includes("FAILED")) return countWhere(recordingFiltersWhere(userId, filters));
  // The filters appear twice in one statement: ids go as one JSON parameter each time, so the
  // statement stays far below D1's 100 bound parameters.
  const { ids, ...rest } = filters;
  const where = (f: RecordingFilters, ...more: Array<SQL | undefined>) => and(recordingFiltersWhere(userId, f), ids ? idInJsonArray(recordings.id, ids) : undefined, ...more);
  const plain = statuses.filter((s): s is RecordingStatus => s !== "FAILED");
  const failedOnes = countWhere(where({ ...rest, statuses: undefined }, eq(recordings.failed, true), plain.length ? notInArray(recordings.status, plain) : undefined));
  return plain.length ? sql<number>`${countWhere(where({ ...rest, statuses: plain }))} + ${failedOnes}` : failedOnes;
}

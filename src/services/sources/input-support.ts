import type { SourceType } from "../../db/schema";
import { AppError } from "../../lib/errors";

/**
 * Source types that can be created but never sync are refused: Yandex Disk is a publishing target
 * here, and listing a Disk folder for new files is not built yet. Rows created before this rule
 * (or imported) stay readable, editable and deletable; only creating and syncing them is refused.
 */
const NOT_YET_INPUT: Partial<Record<SourceType, string>> = {
  YANDEX_DISK:
    "Yandex Disk is supported as an output (publish to it with a yandex_disk preset), not yet as an input source; use a ZOOM source, or upload the files (LOCAL)",
};

/** Why this source type cannot be an input source yet, or null when it can. */
export const unsupportedInputReason = (sourceType: SourceType): string | null => NOT_YET_INPUT[sourceType] ?? null;

/** A 400 in the standard envelope, pointing at the field that named the type. */
export function assertSupportedInput(sourceType: SourceType, field = "platform"): void {
  const reason = unsupportedInputReason(sourceType);
  if (reason) throw new AppError("BAD_REQUEST", reason, { details: [{ path: field, message: reason, code: "unsupported_source_type", location: "json" }] });
}

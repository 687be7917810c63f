import { forTenant } from "../../db/repositories/tenant";
import { AppError } from "../../lib/errors";
import type { ServiceContext } from "../context";

/**
 * Every id in `ids` must be one of the caller's presets (one query). A missing id and another
 * tenant's id get the same answer, so the 400 never tells whether a preset exists elsewhere.
 * `path` is where the list sits in the body (`output_config.preset_ids`).
 */
export async function assertOwnPresets(ctx: ServiceContext, userId: string, ids: readonly number[] | null | undefined, path: string): Promise<void> {
  if (!ids || ids.length === 0) return;
  const owned = await forTenant(ctx.db, userId).presets.ownedIds(ids);
  const details = ids.flatMap((id, index) =>
    owned.has(id) ? [] : [{ path: `${path}.${index}`, message: `preset ${id} is not one of your presets`, code: "unknown_preset", location: "json", preset_id: id }],
  );
  const first = details[0];
  if (first) throw new AppError("VALIDATION_FAILED", `Invalid ${first.path}: ${first.message}`, { details });
}

import type { components } from "../../../api/schema";
import type { Dictionary } from "../../../i18n/en";

/** What a rematch changed, in words ("Checked 3 recordings; 1 changed."). */
export function rematchText(rematch: components["schemas"]["RematchSummary"], t: Dictionary): string {
  if (!rematch) return t.templates.noRematch;
  const text = t.templates.rematchResult(rematch.checked, rematch.changed);
  return rematch.continued ? `${text} ${t.templates.rematchContinues}` : text;
}

import type { components } from "../../../api/schema";
import type { Dictionary } from "../../../i18n/en";

export type RematchSummary = components["schemas"]["RematchSummary"];

/** What a rematch changed, in words ("Checked 3 recordings; 1 changed."). */
export function rematchText(rematch: RematchSummary, t: Dictionary): string {
  if (!rematch) return t.templates.noRematch;
  const text = t.templates.rematchResult(rematch.checked, rematch.changed);
  return rematch.continued ? `${text} ${t.templates.rematchContinues}` : text;
}

const handedOver = new Map<number, RematchSummary>();

/** What creating a template rematched, for its page to show once it opens (the editor navigates there). */
export function handOverRematch(templateId: number, rematch: RematchSummary): void {
  handedOver.set(templateId, rematch);
}

export function takeRematch(templateId: number): RematchSummary | undefined {
  return handedOver.get(templateId);
}

export function forgetRematch(templateId: number): void {
  handedOver.delete(templateId);
}

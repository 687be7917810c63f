import type { UserConfigData } from "../config/defaults";

/**
 * The sentences stored in `recordings.skip_reason`: a user reads them in the dashboard and in a
 * sync's answer, so they say which threshold applied and the measured value, never tenant text.
 */
export const NO_TEMPLATE_REASON = "No template matches this recording";

export const zoomGoneReason = (state: string) => `Zoom recording ${state} before it was copied`;

const MiB = 1024 * 1024;
/** One decimal, rounded down: a 24.99 MB file must not read "(25 MB)" next to a 25 MB minimum. */
const shown = (value: number) => String(Math.floor(Math.max(0, value) * 10) / 10);

/**
 * Why a recording is too short or too small to be a lecture under the resolved download
 * thresholds (`blank_min_duration_minutes`, `blank_min_size_mb`), or null when it is not blank.
 */
export function blankReason(
  minutes: number,
  bytes: number,
  download: Pick<UserConfigData["download"], "blank_min_duration_minutes" | "blank_min_size_mb">,
): string | null {
  const parts: string[] = [];
  if (minutes < download.blank_min_duration_minutes) parts.push(`shorter than the ${shown(download.blank_min_duration_minutes)}-minute minimum (${shown(minutes)} min)`);
  if (bytes < download.blank_min_size_mb * MiB) parts.push(`smaller than the ${shown(download.blank_min_size_mb)} MB minimum (${shown(bytes / MiB)} MB)`);
  const sentence = parts.join(" and ");
  return sentence ? sentence.charAt(0).toUpperCase() + sentence.slice(1) : null;
}

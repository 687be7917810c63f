import { Badge, type MantineColor } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";

const COLORS: Record<string, MantineColor> = {
  READY: "green",
  UPLOADED: "green",
  PROCESSED: "teal",
  TRANSCRIBED: "teal",
  DOWNLOADED: "blue",
  SKIPPED: "gray",
  EXPIRED: "gray",
  FAILED: "red",
};

/** A recording's status as a chip; a failed last run shows as Failed. */
export function StatusBadge({ status, failed }: { status: string; failed?: boolean }) {
  const { t } = useI18n();
  const shown = failed ? "FAILED" : status;
  return (
    // "dot": the colour is the dot's, the word stays in the text colour (light green or teal text fails contrast).
    <Badge color={COLORS[shown] ?? "indigo"} variant="dot">
      {t.status[shown] ?? shown}
    </Badge>
  );
}

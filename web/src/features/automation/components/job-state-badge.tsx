import { Badge } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";

/** Enabled or disabled, as a "dot" badge: body-coloured text (4.5:1 whatever the colour), the state in its dot. */
export function JobStateBadge({ active }: { active: boolean }) {
  const { t } = useI18n();
  return (
    <Badge variant="dot" color={active ? "green" : "gray"}>
      {active ? t.automation.enabled : t.automation.disabled}
    </Badge>
  );
}

import { Badge, Group } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import type { Template } from "../form-model";

/** Active / inactive and draft, as "dot" badges: body-coloured text (4.5:1) with the state's colour in the dot. */
export function StateBadges({ template }: { template: Pick<Template, "is_active" | "is_draft"> }) {
  const { t } = useI18n();
  return (
    <Group gap={6}>
      <Badge variant="dot" color={template.is_active ? "green" : "gray"}>
        {template.is_active ? t.templates.active : t.templates.inactive}
      </Badge>
      {template.is_draft && (
        <Badge variant="dot" color="yellow">
          {t.templates.draft}
        </Badge>
      )}
    </Group>
  );
}

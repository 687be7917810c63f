import { Badge, Button, Code, Group, type MantineColor, Table } from "@mantine/core";
import type { FieldSpec } from "../../../components/config/config-sections";
import { useI18n } from "../../../i18n/i18n-provider";
import type { ConfigSource } from "../api/config-queries";
import { type ConfigLeaf, formatValue } from "../config-layout";

/** "dot" badges: the text keeps the body colour (4.5:1 on any background), the layer's colour is the dot's. */
const SOURCE_COLORS: Record<ConfigSource, MantineColor> = { default: "gray", user: "blue", template: "violet", recording: "orange" };

export function SourceBadge({ source }: { source: ConfigSource }) {
  const { t } = useI18n();
  return (
    <Badge variant="dot" color={SOURCE_COLORS[source]} style={{ flexShrink: 0 }}>
      {t.recordingConfig.sources[source]}
    </Badge>
  );
}

interface Props {
  caption: string;
  leaves: ConfigLeaf[];
  fields: Map<string, FieldSpec>;
  /** Resets one value of the recording's own to what it would inherit; absent while a change is saving. */
  onReset?: (leaf: ConfigLeaf) => void;
}

/** One group of effective values: the setting (the settings page's label where it has one), its value and its source. */
export function ConfigValuesTable({ caption, leaves, fields, onReset }: Props) {
  const { t, number } = useI18n();
  const r = t.recordingConfig;
  return (
    <Table.ScrollContainer minWidth={340}>
      <Table aria-label={caption} verticalSpacing={6} horizontalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{r.setting}</Table.Th>
            <Table.Th>{r.value}</Table.Th>
            <Table.Th>{r.source}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {leaves.map((leaf) => {
            const field = fields.get(leaf.path);
            const label = field?.label ?? leaf.path;
            return (
              <Table.Tr key={leaf.path}>
                <Table.Th scope="row" fw={400} style={{ overflowWrap: "anywhere" }}>
                  {field ? field.label : <Code>{leaf.path}</Code>}
                </Table.Th>
                <Table.Td style={{ overflowWrap: "anywhere", whiteSpace: "pre-line" }}>{formatValue(leaf.value, field, t, number)}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="wrap">
                    <SourceBadge source={leaf.source} />
                    {leaf.source === "recording" && (
                      <Button variant="subtle" size="compact-sm" aria-label={r.resetOne(label)} disabled={!onReset} onClick={() => onReset?.(leaf)}>
                        {r.reset}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

import { Accordion, Badge, Button, Card, Group, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { ConfirmButton } from "../../../components/confirm-button";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { type RecordingConfig, useRecordingConfig, useUpdateOverrides } from "../api/config-queries";
import { type ConfigGroup, type ConfigLeaf, groupLeaves, knownFields, overridesPatch } from "../config-layout";
import { ConfigValuesTable } from "./config-values-table";
import { RecordingConfigEditor } from "./recording-config-editor";

/** The configuration the next run of a recording uses, where each value comes from, and the recording's own values. */
export function RecordingConfigCard({ recordingId }: { recordingId: number }) {
  const { t } = useI18n();
  const config = useRecordingConfig(recordingId);
  return (
    <Card withBorder component="section" aria-labelledby="recording-config-heading">
      <Text fw={600} component="h2" size="lg" id="recording-config-heading">
        {t.recordingConfig.title}
      </Text>
      <Text size="sm" mb="sm">
        {t.recordingConfig.intro}
      </Text>
      <QueryState query={config}>{(data) => <ConfigBody recordingId={recordingId} config={data} />}</QueryState>
    </Card>
  );
}

function ConfigBody({ recordingId, config }: { recordingId: number; config: RecordingConfig }) {
  const { t } = useI18n();
  const r = t.recordingConfig;
  const update = useUpdateOverrides(recordingId);
  const [editing, setEditing] = useState(false);
  const fields = knownFields(t);
  const groups = groupLeaves(config);
  const own = Object.values(config.sources).filter((source) => source === "recording").length;
  const failed = (error: unknown) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError });

  // The last value of its own goes by dropping the overrides, so none are left behind as empty sections.
  const resetOne = (leaf: ConfigLeaf) =>
    update.mutate(own === 1 ? null : overridesPatch(config.overrides, [{ path: leaf.path, value: null }]), {
      onSuccess: () => notifications.show({ color: "green", message: r.resetDone }),
      onError: failed,
    });

  return (
    <Stack gap="sm">
      {config.template_name && <Text size="sm">{r.template(config.template_name)}</Text>}
      <Group gap="sm">
        <Button variant="light" onClick={() => setEditing(true)}>
          {r.edit}
        </Button>
        {own > 0 && (
          <ConfirmButton
            variant="default"
            label={r.resetAll}
            title={r.resetAllTitle}
            text={r.resetAllText}
            confirmLabel={r.resetAll}
            cancelLabel={r.cancel}
            pending={update.isPending}
            onConfirm={(done) =>
              update.mutate(null, {
                onSuccess: () => {
                  done();
                  notifications.show({ color: "green", message: r.resetAllDone });
                },
                onError: failed,
              })
            }
          />
        )}
      </Group>
      <Accordion multiple styles={{ content: { paddingInline: 0 } }}>
        {(Object.keys(groups) as ConfigGroup[]).map((group) => {
          const count = groups[group].filter((leaf) => leaf.source === "recording").length;
          return (
            <Accordion.Item key={group} value={group}>
              <Accordion.Control>
                <Group gap="sm">
                  <Text fw={500}>{r.groups[group]}</Text>
                  {count > 0 && (
                    <Badge variant="dot" color="orange">
                      {r.overridden(count)}
                    </Badge>
                  )}
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <ConfigValuesTable caption={r.groups[group]} leaves={groups[group]} fields={fields} onReset={update.isPending ? undefined : resetOne} />
              </Accordion.Panel>
            </Accordion.Item>
          );
        })}
      </Accordion>
      {editing && <RecordingConfigEditor recordingId={recordingId} config={config} onClose={() => setEditing(false)} />}
    </Stack>
  );
}

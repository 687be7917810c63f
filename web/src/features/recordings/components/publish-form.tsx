import { Button, Group, Select, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { usePublish, usePublishPresets, type PublishPlatform } from "../api/publish-queries";

const PLATFORMS: PublishPlatform[] = ["youtube", "vk", "yandex_disk"];
/** The preset choice that means "the presets this recording's configuration names for the platform". */
const CONFIGURED = "configured";

/** Publishes the recording to one platform, with a chosen preset or the configured ones. */
export function PublishForm({ recordingId, busy }: { recordingId: number; busy: boolean }) {
  const { t } = useI18n();
  const p = t.publish;
  const presets = usePublishPresets();
  const publish = usePublish(recordingId);
  const [platform, setPlatform] = useState<PublishPlatform>("youtube");
  const ofPlatform = (presets.data ?? []).filter((preset) => preset.platform === platform && preset.is_active);
  const [preset, setPreset] = useState<string>(CONFIGURED);
  const presetValue = preset === CONFIGURED || ofPlatform.some((x) => String(x.id) === preset) ? preset : CONFIGURED;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    publish.mutate(
      { platform, presetId: presetValue === CONFIGURED ? null : Number(presetValue) },
      {
        onSuccess: () => notifications.show({ color: "green", message: p.started(t.presets.platforms[platform]) }),
        onError: (error) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
      },
    );
  };

  return (
    <form onSubmit={submit} aria-label={p.formLabel}>
      <Group align="flex-end" gap="sm">
        <Select
          label={p.platform}
          data={PLATFORMS.map((value) => ({ value, label: t.presets.platforms[value] }))}
          value={platform}
          onChange={(value) => value && setPlatform(value as PublishPlatform)}
          allowDeselect={false}
          w={180}
        />
        <Select
          label={p.preset}
          data={[{ value: CONFIGURED, label: p.configuredPresets }, ...ofPlatform.map((x) => ({ value: String(x.id), label: x.name }))]}
          value={presetValue}
          onChange={(value) => setPreset(value ?? CONFIGURED)}
          allowDeselect={false}
          w={320}
        />
        <Button type="submit" loading={publish.isPending} disabled={busy}>
          {p.publish}
        </Button>
      </Group>
      {presets.isSuccess && ofPlatform.length === 0 && (
        <Text size="sm" mt="xs">
          {p.noPresets(t.presets.platforms[platform])}{" "}
          <Link to="/presets">{p.createPreset}</Link>
        </Text>
      )}
      {busy && (
        <Text size="sm" mt="xs">
          {p.busy}
        </Text>
      )}
    </form>
  );
}

import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useState } from "react";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useResetConfig, useUserConfig } from "../api/config-queries";
import { processingSections } from "../../../components/config/config-sections";
import { ConfigSectionForm } from "./config-section-form";
import { SettingsError } from "./settings-error";

/** Every processing default as a form per group, and a confirmed reset of them all. */
export function ProcessingDefaults() {
  const { t } = useI18n();
  const config = useUserConfig();
  const reset = useResetConfig();
  const [confirming, { open, close }] = useDisclosure(false);
  // A reset gives every form new starting values: a new key remounts them.
  const [generation, setGeneration] = useState(0);
  const sections = processingSections(t);
  const c = t.settings.config;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Text c="dimmed" maw={640}>
          {c.intro}
        </Text>
        <Button variant="default" onClick={open}>
          {c.resetAll}
        </Button>
      </Group>
      {reset.isSuccess && (
        <Text role="status" c="teal.9" size="sm">
          {c.resetDone}
        </Text>
      )}
      <SettingsError error={reset.error} />
      <QueryState query={config}>
        {(data) => (
          <Stack gap="md">
            {sections.map((spec) => (
              <ConfigSectionForm key={`${spec.id}-${generation}`} spec={spec} config={data.config_data} />
            ))}
          </Stack>
        )}
      </QueryState>
      <Modal opened={confirming} onClose={close} title={c.resetConfirmTitle} closeButtonProps={{ "aria-label": c.cancel }}>
        <Text mb="md">{c.resetConfirmText}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {c.cancel}
          </Button>
          <Button
            color="red.9"
            loading={reset.isPending}
            onClick={() =>
              reset.mutate(undefined, {
                onSuccess: () => {
                  setGeneration((g) => g + 1);
                  close();
                },
              })
            }
          >
            {c.resetConfirm}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}

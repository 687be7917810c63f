import { Button, Group, Modal, Popover, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { SINGLE_STAGES, useStageAction, type SingleStage } from "../api/stage-queries";

/** "Run one stage" (download, transcribe, trim, chapters, subtitles) and "Reset", asked once more first. */
export function StageActions({ recordingId }: { recordingId: number }) {
  const { t } = useI18n();
  const d = t.detail;
  const action = useStageAction(recordingId);
  const [confirmingReset, setConfirmingReset] = useState(false);
  const [choosing, setChoosing] = useState(false);
  const run = (name: SingleStage | "reset") =>
    action.mutate(name, {
      onSuccess: () => notifications.show({ color: "green", message: name === "reset" ? d.resetDone : d.stageStarted(d.singleStages[name]) }),
      onError: (error) => notifications.show({ color: "red", message: error instanceof ApiError ? error.message : t.app.genericError }),
    });
  return (
    <>
      <Popover position="bottom-end" opened={choosing} onChange={setChoosing} trapFocus returnFocus>
        <Popover.Target>
          <Button size="xs" variant="default" onClick={() => setChoosing((open) => !open)} aria-expanded={choosing} loading={action.isPending && action.variables !== "reset"}>
            {d.runOneStage}
          </Button>
        </Popover.Target>
        <Popover.Dropdown p={4} aria-label={d.runOneStage} role="group">
          <Stack gap={2}>
            {SINGLE_STAGES.map((stage) => (
              <Button
                key={stage}
                variant="subtle"
                color="dark"
                justify="flex-start"
                size="xs"
                onClick={() => {
                  setChoosing(false);
                  run(stage);
                }}
              >
                {d.singleStages[stage]}
              </Button>
            ))}
          </Stack>
        </Popover.Dropdown>
      </Popover>
      <Button size="xs" variant="default" loading={action.isPending && action.variables === "reset"} onClick={() => setConfirmingReset(true)}>
        {d.reset}
      </Button>
      <Modal opened={confirmingReset} onClose={() => setConfirmingReset(false)} title={d.resetTitle} closeButtonProps={{ "aria-label": d.cancel }} centered>
        <Text size="sm" mb="md">
          {d.resetText}
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => setConfirmingReset(false)}>
            {d.cancel}
          </Button>
          <Button
            color="red.9"
            data-autofocus
            onClick={() => {
              setConfirmingReset(false);
              run("reset");
            }}
          >
            {d.resetConfirm}
          </Button>
        </Group>
      </Modal>
    </>
  );
}

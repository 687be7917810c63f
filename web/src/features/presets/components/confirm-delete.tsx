import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";

interface Props {
  opened: boolean;
  title: string;
  text: string;
  pending: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

/** "Delete …?" with Keep (focused first) and Delete. */
export function ConfirmDelete({ opened, title, text, pending, onConfirm, onClose }: Props) {
  const { t } = useI18n();
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered closeButtonProps={{ "aria-label": t.presets.close }}>
      <Stack>
        <Text size="sm">{text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {t.presets.keep}
          </Button>
          <Button color="red.9" loading={pending} onClick={onConfirm}>
            {t.presets.confirmDelete}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";

/** "Delete …?" with a cancel that keeps it. */
export function ConfirmDelete({ title, text, opened, pending, onCancel, onConfirm }: { title: string; text: string; opened: boolean; pending: boolean; onCancel: () => void; onConfirm: () => void }) {
  const { t } = useI18n();
  return (
    <Modal opened={opened} onClose={onCancel} title={title} centered closeButtonProps={{ "aria-label": t.connections.cancel }}>
      <Stack>
        <Text size="sm">{text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t.connections.keep}
          </Button>
          <Button color="red.9" loading={pending} onClick={onConfirm}>
            {t.connections.confirmDelete}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

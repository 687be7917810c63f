import { Button, type ButtonProps, Group, Modal, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";

interface Props extends Omit<ButtonProps, "children" | "onClick"> {
  label: string;
  title: string;
  text: string;
  confirmLabel: string;
  cancelLabel: string;
  pending?: boolean;
  /** Called on confirmation; the dialog closes when `done` is called (after the change succeeded). */
  onConfirm: (done: () => void) => void;
}

/** A button whose action is asked about first, in a dialog that names what will happen. */
export function ConfirmButton({ label, title, text, confirmLabel, cancelLabel, pending = false, onConfirm, color = "red.9", ...button }: Props) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Button color={color} {...button} onClick={open}>
        {label}
      </Button>
      <Modal opened={opened} onClose={close} title={title} closeButtonProps={{ "aria-label": cancelLabel }}>
        <Text mb="md">{text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {cancelLabel}
          </Button>
          <Button color={color} loading={pending} onClick={() => onConfirm(close)}>
            {confirmLabel}
          </Button>
        </Group>
      </Modal>
    </>
  );
}

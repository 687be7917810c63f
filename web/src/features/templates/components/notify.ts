import { notifications } from "@mantine/notifications";

/** A short notification whose close button has a name (in the page's language). */
export function notify(color: "green" | "red", message: string, closeLabel: string): void {
  notifications.show({ color, message, closeButtonProps: { "aria-label": closeLabel } });
}

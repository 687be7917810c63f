import { Button, Stack, Text } from "@mantine/core";
import { Dropzone } from "@mantine/dropzone";
import { useRef } from "react";
import { useI18n } from "../../../i18n/i18n-provider";
import type { UploadLimits } from "../api/upload-queries";
import { acceptList } from "../model/file-rules";

/**
 * Drop several files, or choose them with the button (the keyboard's way in). Every file is
 * handed over, accepted or not, so the page can say exactly why one was refused.
 */
export function FileDropzone({ limits, onFiles }: { limits: UploadLimits; onFiles: (files: File[]) => void }) {
  const { t, bytes } = useI18n();
  const openRef = useRef<() => void>(null);
  const types = limits.extensions.map((e) => e.toUpperCase()).join(", ");
  return (
    <Stack gap="xs">
      <Dropzone
        onDrop={() => undefined}
        onDropAny={(accepted, rejections) => onFiles([...accepted, ...rejections.map((r) => r.file)])}
        openRef={openRef}
        multiple
        activateOnKeyboard={false}
        inputProps={{ accept: acceptList(limits).join(",") }}
      >
        <Stack align="center" gap={4} py="lg" style={{ pointerEvents: "none" }}>
          <Text size="lg" fw={600}>
            <Dropzone.Reject>{t.upload.dropReject}</Dropzone.Reject>
            <Dropzone.Idle>{t.upload.dropTitle}</Dropzone.Idle>
            <Dropzone.Accept>{t.upload.dropTitle}</Dropzone.Accept>
          </Text>
          <Text size="sm" c="dimmed" ta="center">
            {t.upload.dropHint(types, bytes(limits.max_size))}
          </Text>
        </Stack>
      </Dropzone>
      <Button variant="light" onClick={() => openRef.current?.()} style={{ alignSelf: "flex-start" }}>
        {t.upload.chooseFiles}
      </Button>
    </Stack>
  );
}

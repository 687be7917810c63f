import { Alert, List } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import type { UploadLimits } from "../api/upload-queries";
import type { RejectedFile } from "./upload-page";

/** Why each refused file was refused (type or size), from the API's own limits. */
export function RejectedFiles({ limits, files, onClose }: { limits: UploadLimits; files: RejectedFile[]; onClose: () => void }) {
  const { t, bytes } = useI18n();
  const types = limits.extensions.map((e) => e.toUpperCase()).join(", ");
  const message = (file: RejectedFile) => {
    if (file.problem === "wrongType") return t.upload.wrongType(file.name, types);
    if (file.problem === "tooLarge") return t.upload.tooLarge(file.name, bytes(limits.max_size));
    return t.upload.empty(file.name);
  };
  return (
    <Alert color="red" role="alert" title={t.upload.rejectedTitle} withCloseButton closeButtonLabel={t.upload.close} onClose={onClose}>
      <List size="sm">
        {files.map((file, i) => (
          // Two refused files may share a name; their order is stable for this message.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list is replaced as a whole, never reordered
          <List.Item key={`${file.name}-${i}`}>{message(file)}</List.Item>
        ))}
      </List>
    </Alert>
  );
}

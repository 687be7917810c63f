import { Alert, Anchor, Button, FileInput, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { Link } from "@tanstack/react-router";
import { PageTitle } from "../../../components/page-title";
import { useI18n } from "../../../i18n/i18n-provider";
import { ApiError } from "../../../lib/api-error";
import { useDirectUpload } from "../api/upload-mutation";

const ACCEPT = "video/mp4,audio/mp4,video/quicktime,video/webm,.mp4,.m4a,.mov,.webm";

export function UploadPage() {
  const { t } = useI18n();
  const upload = useDirectUpload();
  const form = useForm<{ file: File | null; name: string }>({
    initialValues: { file: null, name: "" },
    validate: {
      file: (f) => (f ? null : t.upload.file),
      name: (v) => (v.trim().length > 0 && v.trim().length <= 500 ? null : t.upload.name),
    },
  });
  const submit = form.onSubmit(({ file, name }) => {
    if (file) upload.mutate({ file, displayName: name.trim() }, { onSuccess: () => form.reset() });
  });
  const error = upload.error instanceof ApiError && upload.error.status === 415 ? t.upload.wrongType : upload.error ? (upload.error instanceof ApiError ? upload.error.message : t.app.genericError) : null;

  return (
    <>
      <PageTitle title={t.upload.title} intro={t.upload.intro} />
      <form onSubmit={submit} noValidate>
        <Stack maw={520}>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {upload.data && (
            <Alert color="green" role="status">
              {t.upload.done}{" "}
              {/* The alert's own text colour with an underline: the theme's link colour is too faint on the green background. */}
              <Anchor c="inherit" underline="always" fw={600} renderRoot={(props) => <Link {...props} to="/recordings/$recordingId" params={{ recordingId: String(upload.data?.id) }} />}>
                {t.upload.openRecording}
              </Anchor>
            </Alert>
          )}
          <FileInput
            label={t.upload.file}
            placeholder={t.upload.filePlaceholder}
            accept={ACCEPT}
            required
            {...form.getInputProps("file")}
            onChange={(file) => {
              form.setFieldValue("file", file);
              if (file && !form.values.name) form.setFieldValue("name", file.name.replace(/\.[^.]+$/, ""));
            }}
          />
          <TextInput label={t.upload.name} required {...form.getInputProps("name")} />
          <Button type="submit" loading={upload.isPending}>
            {upload.isPending ? t.upload.uploading : t.upload.submit}
          </Button>
        </Stack>
      </form>
    </>
  );
}

import "@mantine/dropzone/styles.css";
import { Button, Group, Stack, Title } from "@mantine/core";
import { useState } from "react";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useUploadLimits, type UploadLimits } from "../api/upload-queries";
import { useUnfinishedUploads, useUploadQueue } from "../hooks/use-upload-queue";
import { fileProblem, type FileProblem } from "../model/file-rules";
import { FileDropzone } from "./file-dropzone";
import { RejectedFiles } from "./rejected-files";
import { UnfinishedUploads } from "./unfinished-uploads";
import { UploadItemCard } from "./upload-item-card";
import { UrlImportForm } from "./url-import-form";

export interface RejectedFile {
  name: string;
  problem: FileProblem;
}

export function UploadPage() {
  const { t } = useI18n();
  const limits = useUploadLimits();
  return (
    <>
      <PageTitle title={t.upload.title} intro={t.upload.intro} />
      <QueryState query={limits}>{(data) => <Uploads limits={data} />}</QueryState>
    </>
  );
}

function Uploads({ limits }: { limits: UploadLimits }) {
  const { t } = useI18n();
  const { items, queue } = useUploadQueue(limits);
  const unfinished = useUnfinishedUploads();
  const [rejected, setRejected] = useState<RejectedFile[]>([]);
  const active = new Set(items.map((i) => i.uploadId).filter((id) => id !== null));
  const waiting = unfinished.filter((u) => !active.has(u.uploadId));
  const ready = items.filter((i) => i.status === "ready");

  const addFiles = (files: File[]) => {
    const problems: RejectedFile[] = [];
    const accepted: File[] = [];
    for (const file of files) {
      const problem = fileProblem(file, limits);
      if (problem) problems.push({ name: file.name, problem });
      else accepted.push(file);
    }
    setRejected(problems);
    if (accepted.length > 0) queue.add(accepted);
  };

  return (
    <Stack gap="lg" maw={760}>
      <FileDropzone limits={limits} onFiles={addFiles} />
      {rejected.length > 0 && <RejectedFiles limits={limits} files={rejected} onClose={() => setRejected([])} />}
      {waiting.length > 0 && <UnfinishedUploads uploads={waiting} />}
      {items.length > 0 && (
        <Stack gap="sm" component="section" aria-labelledby="upload-files-title">
          <Group justify="space-between" wrap="wrap">
            <Title order={2} size="h3" id="upload-files-title">
              {t.upload.filesTitle}
            </Title>
            {ready.length > 0 && (
              <Button onClick={() => queue.startReady()} disabled={ready.some((i) => !i.displayName.trim())}>
                {t.upload.start}
              </Button>
            )}
          </Group>
          {items.map((item) => (
            <UploadItemCard key={item.key} item={item} queue={queue} />
          ))}
        </Stack>
      )}
      <UrlImportForm />
    </Stack>
  );
}

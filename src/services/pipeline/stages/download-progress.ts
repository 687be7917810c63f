import type { ContainerKind } from "../../../media/sniff";
import type { DownloadKind } from "../download-source";
import type { StageProgress } from "../stage-executor";

/** Progress of one file's copy: an R2 multipart upload filled part by part from ranged GETs. */
export interface FileProgress {
  file_id: string;
  /** The container the first bytes revealed (decides the object's extension and type). */
  container?: ContainerKind;
  total?: number;
  part_size?: number;
  parts?: Array<{ partNumber: number; etag: string }>;
  offset?: number;
  key?: string;
  upload_id?: string;
  /** Set once the multipart upload is completed and its size verified. */
  bytes?: number;
  /** Audio only: why Zoom's M4A was left out (the video never is). */
  skipped?: string;
}

export interface DownloadProgress extends StageProgress {
  files?: Partial<Record<DownloadKind, FileProgress>>;
  /**
   * A forced re-download: the new copy goes to keys of its own (named by the run) while the stored
   * objects listed in `replaces` stay in use, and those are deleted only once the new copy is the
   * recording's.
   */
  copy_id?: string;
  replaces?: string[];
  avoid_webhook_token?: boolean;
  last_error?: string;
}

export const asProgress = (progress: StageProgress) => progress as DownloadProgress;

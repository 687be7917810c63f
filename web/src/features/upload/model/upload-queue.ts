import { ApiError } from "../../../lib/api-error";
import { isAbort, putPart } from "../api/put-part";
import { abortUploadSession, completeUploadSession, createUploadSession, fetchUploadSession, type UploadLimits } from "../api/upload-queries";
import { contentTypeFor, displayNameFrom, partSizeFor } from "./file-rules";
import { failureOf, RETRY_DELAYS, retryable, sleep } from "./part-retry";
import { Throughput } from "./throughput";
import { unfinishedUploads } from "./unfinished-store";

export type UploadStatus = "ready" | "queued" | "uploading" | "retrying" | "paused" | "completing" | "done" | "failed";
export type UploadFailure = "wrongType" | "tooLarge" | "quota" | "limited" | "gone" | "network" | "server";

export interface UploadItem {
  key: string;
  file: File;
  displayName: string;
  status: UploadStatus;
  uploadId: string | null;
  partSize: number | null;
  partCount: number | null;
  partsDone: number;
  /** Parts the server already had when this file resumed an upload kept from before (null: not a resumed upload yet). */
  skippedParts: number | null;
  /** True when the file continues an upload session kept from an earlier visit. */
  resumed: boolean;
  sentBytes: number;
  bytesPerSecond: number | null;
  /** The try of the current part (1 = first); shown while waiting to retry. */
  attempt: number;
  failure: UploadFailure | null;
  recordingId: number | null;
}

/** Two files at a time; each file's parts go one after another. */
const PARALLEL_FILES = 2;
let counter = 0;

/**
 * The page's uploads, outside React so they keep going while the user visits other pages of the
 * dashboard. Components read it with useSyncExternalStore (every change is a new array).
 */
export class UploadQueue {
  private items: UploadItem[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly speeds = new Map<string, Throughput>();
  private limits: UploadLimits | null = null;
  private onDone: () => void = () => undefined;

  configure(limits: UploadLimits, onDone: () => void): void {
    this.limits = limits;
    this.onDone = onDone;
  }

  snapshot = (): UploadItem[] => this.items;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** True while some file is actually sending (leaving the page would interrupt it). */
  isSending(): boolean {
    return this.items.some((i) => i.status === "uploading" || i.status === "retrying" || i.status === "completing");
  }

  /** Adds accepted files; a file that matches a kept unfinished upload continues it and starts at once. */
  add(files: File[]): void {
    const added: UploadItem[] = [];
    for (const file of files) {
      const kept = unfinishedUploads.matching(file);
      if (kept && this.items.some((i) => i.uploadId === kept.uploadId && i.status !== "failed")) continue;
      counter += 1;
      added.push({
        key: `upload-${counter}`,
        file,
        displayName: kept?.displayName ?? displayNameFrom(file.name),
        status: kept ? "queued" : "ready",
        uploadId: kept?.uploadId ?? null,
        partSize: kept?.partSize ?? null,
        partCount: kept ? Math.ceil(file.size / kept.partSize) : null,
        partsDone: 0,
        skippedParts: null,
        resumed: kept !== undefined,
        sentBytes: 0,
        bytesPerSecond: null,
        attempt: 1,
        failure: null,
        recordingId: null,
      });
    }
    this.items = [...this.items.filter((i) => !added.some((a) => a.uploadId !== null && a.uploadId === i.uploadId)), ...added];
    this.emit();
    this.pump();
  }

  rename(key: string, displayName: string): void {
    this.update(key, { displayName });
  }

  startReady(): void {
    this.items = this.items.map((i) => (i.status === "ready" && i.displayName.trim() ? { ...i, status: "queued" } : i));
    this.emit();
    this.pump();
  }

  pause(key: string): void {
    const item = this.find(key);
    if (!item || !["queued", "uploading", "retrying"].includes(item.status)) return;
    this.controllers.get(key)?.abort();
    this.update(key, { status: "paused", bytesPerSecond: null });
  }

  /** Continues a paused or failed file from the parts the server has. */
  resume(key: string): void {
    const item = this.find(key);
    if (!item || (item.status !== "paused" && item.status !== "failed")) return;
    this.update(key, { status: "queued", failure: null, attempt: 1 });
    this.pump();
  }

  /** Stops the file and discards its parts on the server. */
  async cancel(key: string): Promise<void> {
    const item = this.find(key);
    if (!item) return;
    this.controllers.get(key)?.abort();
    this.items = this.items.filter((i) => i.key !== key);
    this.emit();
    if (item.uploadId && item.status !== "done") {
      unfinishedUploads.remove(item.uploadId);
      await abortUploadSession(item.uploadId).catch(() => undefined); // already gone is the same outcome
    }
    this.pump();
  }

  /** Takes a finished or failed file off the list. */
  dismiss(key: string): void {
    this.items = this.items.filter((i) => i.key !== key);
    this.emit();
  }

  private find(key: string): UploadItem | undefined {
    return this.items.find((i) => i.key === key);
  }

  private update(key: string, patch: Partial<UploadItem>): void {
    this.items = this.items.map((i) => (i.key === key ? { ...i, ...patch } : i));
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  private pump(): void {
    if (!this.limits) return;
    let running = this.items.filter((i) => this.controllers.has(i.key)).length;
    for (const item of this.items) {
      if (running >= PARALLEL_FILES) break;
      if (item.status !== "queued" || this.controllers.has(item.key)) continue;
      running += 1;
      void this.run(item.key);
    }
  }

  private async run(key: string): Promise<void> {
    const limits = this.limits;
    const controller = new AbortController();
    const first = this.find(key);
    if (!limits || !first) return;
    this.controllers.set(key, controller);
    const speed = this.speeds.get(key) ?? new Throughput();
    this.speeds.set(key, speed);
    speed.reset();
    const { signal } = controller;
    this.update(key, { status: "uploading", failure: null });
    try {
      let uploadId = first.uploadId;
      let partSize = first.partSize;
      let missing: number[];
      if (uploadId === null || partSize === null) {
        const created = await createUploadSession({
          displayName: first.displayName.trim(),
          file: first.file,
          contentType: contentTypeFor(first.file, limits),
          partSize: partSizeFor(first.file, limits),
        });
        uploadId = created.id;
        partSize = created.part_size;
        missing = created.missing_parts;
        unfinishedUploads.save({
          uploadId,
          fileName: first.file.name,
          size: first.file.size,
          lastModified: first.file.lastModified,
          partSize,
          displayName: first.displayName.trim(),
        });
        this.update(key, { uploadId, partSize, partCount: created.part_count, partsDone: 0, sentBytes: 0 });
      } else {
        const known = await fetchUploadSession(uploadId);
        if (known.status !== "uploading") throw new ApiError(409, "CONFLICT", `Upload is already ${known.status}`);
        missing = known.missing_parts;
        const current = this.find(key);
        this.update(key, {
          partCount: known.part_count,
          partsDone: known.uploaded_parts.length,
          sentBytes: known.received_bytes,
          skippedParts: current?.resumed && current.skippedParts === null ? known.uploaded_parts.length : (current?.skippedParts ?? null),
        });
      }
      if (signal.aborted) return;
      for (const partNumber of missing) {
        await this.sendPart(key, uploadId, partNumber, partSize, speed, signal);
      }
      this.update(key, { status: "completing", bytesPerSecond: null });
      const recording = await completeUploadSession(uploadId);
      unfinishedUploads.remove(uploadId);
      this.update(key, { status: "done", recordingId: recording.id, sentBytes: first.file.size });
      this.onDone();
    } catch (error) {
      if (isAbort(error) || signal.aborted) return; // paused or cancelled: their own state is set
      const failure = failureOf(error);
      const item = this.find(key);
      if (failure === "gone" && item?.uploadId) unfinishedUploads.remove(item.uploadId);
      this.update(key, {
        status: "failed",
        failure,
        bytesPerSecond: null,
        // A closed session cannot resume: the next try starts a new one.
        ...(failure === "gone" ? { uploadId: null, partSize: null, partsDone: 0, sentBytes: 0 } : {}),
      });
    } finally {
      if (this.controllers.get(key) === controller) this.controllers.delete(key);
      this.pump();
    }
  }

  private async sendPart(key: string, uploadId: string, partNumber: number, partSize: number, speed: Throughput, signal: AbortSignal): Promise<void> {
    const item = this.find(key);
    if (!item) throw new DOMException("Aborted", "AbortError");
    const start = (partNumber - 1) * partSize;
    const body = item.file.slice(start, Math.min(item.file.size, start + partSize));
    for (let attempt = 1; ; attempt += 1) {
      const base = this.find(key)?.sentBytes ?? 0;
      try {
        const stored = await putPart({
          uploadId,
          partNumber,
          body,
          signal,
          onProgress: (sent) => {
            speed.add(base + sent);
            this.update(key, { status: "uploading", bytesPerSecond: speed.bytesPerSecond(), attempt });
          },
        });
        const now = this.find(key);
        this.update(key, { partsDone: (now?.partsDone ?? 0) + 1, sentBytes: base + stored.size, attempt: 1 });
        speed.add(base + stored.size);
        return;
      } catch (error) {
        if (isAbort(error) || signal.aborted) throw error;
        const delay = RETRY_DELAYS[attempt - 1];
        if (!retryable(error) || delay === undefined) throw error;
        const wait = error instanceof ApiError && error.retryAfterSeconds !== null ? Math.max(delay, error.retryAfterSeconds) : delay;
        this.update(key, { status: "retrying", attempt: attempt + 1, bytesPerSecond: null });
        await sleep(wait * 1000, signal);
        this.update(key, { status: "uploading" });
      }
    }
  }
}

/** One queue for the tab: uploads go on while the user looks at other pages. */
export const uploadQueue = new UploadQueue();

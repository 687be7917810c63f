import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import type { UploadLimits } from "../api/upload-queries";
import { unfinishedUploads } from "../model/unfinished-store";
import { uploadQueue } from "../model/upload-queue";

/** The tab's uploads, wired to the API's limits; the recordings list is refreshed whenever one finishes. */
export function useUploadQueue(limits: UploadLimits) {
  const queryClient = useQueryClient();
  useEffect(() => {
    // The list lives in the recordings feature; its keys all start with "recordings".
    uploadQueue.configure(limits, () => void queryClient.invalidateQueries({ queryKey: ["recordings"] }));
  }, [limits, queryClient]);
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (uploadQueue.isSending()) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);
  const items = useSyncExternalStore(uploadQueue.subscribe, uploadQueue.snapshot);
  return { items, queue: uploadQueue };
}

/** Unfinished uploads kept from earlier visits (this browser's localStorage). */
export function useUnfinishedUploads() {
  return useSyncExternalStore(unfinishedUploads.subscribe, unfinishedUploads.list);
}

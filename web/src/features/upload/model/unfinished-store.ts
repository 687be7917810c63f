/**
 * Unfinished upload sessions kept in localStorage, so a reload (or a closed tab) does not lose
 * them: when the same file (name, size, last-modified time) is chosen again, the upload resumes
 * from the parts the server already has.
 */
export interface UnfinishedUpload {
  uploadId: string;
  fileName: string;
  size: number;
  lastModified: number;
  partSize: number;
  displayName: string;
}

const KEY = "lp.uploads.unfinished";
const listeners = new Set<() => void>();
let cachedRaw: string | null = null;
let cached: UnfinishedUpload[] = [];

function isEntry(value: unknown): value is UnfinishedUpload {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.uploadId === "string" &&
    typeof v.fileName === "string" &&
    typeof v.size === "number" &&
    typeof v.lastModified === "number" &&
    typeof v.partSize === "number" &&
    typeof v.displayName === "string"
  );
}

function read(): UnfinishedUpload[] {
  const raw = localStorage.getItem(KEY);
  if (raw === cachedRaw) return cached;
  cachedRaw = raw;
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    cached = Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    cached = []; // a corrupt entry is the same as none
  }
  return cached;
}

function write(entries: UnfinishedUpload[]): void {
  if (entries.length === 0) localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, JSON.stringify(entries));
  for (const listener of listeners) listener();
}

export const unfinishedUploads = {
  list: read,
  save(entry: UnfinishedUpload): void {
    write([...read().filter((e) => e.uploadId !== entry.uploadId), entry]);
  },
  remove(uploadId: string): void {
    if (read().some((e) => e.uploadId === uploadId)) write(read().filter((e) => e.uploadId !== uploadId));
  },
  /** The kept session of this very file, if any. */
  matching(file: File): UnfinishedUpload | undefined {
    return read().find((e) => e.fileName === file.name && e.size === file.size && e.lastModified === file.lastModified);
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

// Another tab's changes.
window.addEventListener("storage", (event) => {
  if (event.key === KEY) for (const listener of listeners) listener();
});

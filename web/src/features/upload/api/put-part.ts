import type { paths } from "../../../api/schema";
import { d1Bookmark } from "../../../lib/api-client";
import { ApiError } from "../../../lib/api-error";
import { session } from "../../../lib/session";

type PartPath = paths["/api/v1/recordings/uploads/{upload_id}/parts/{part_number}"]["put"];
export type StoredPart = PartPath["responses"][200]["content"]["application/json"];

export interface PartUpload {
  uploadId: string;
  partNumber: number;
  body: Blob;
  /** Bytes of this part sent so far. */
  onProgress: (sent: number) => void;
  signal: AbortSignal;
}

interface XhrAnswer {
  status: number;
  statusText: string;
  headers: Headers;
  body: unknown;
}

/**
 * PUT one part by XMLHttpRequest (fetch reports no upload progress), authenticated the way
 * api-client.ts authenticates every call: the in-memory access token as a bearer header, one
 * silent refresh and a second try on 401, and the tab's D1 bookmark for read-your-writes.
 */
export async function putPart(part: PartUpload): Promise<StoredPart> {
  const token = await session.accessToken();
  let answer = await send(part, token);
  if (answer.status === 401 && token !== null) {
    const fresh = await session.refresh(token);
    if (fresh !== null) answer = await send(part, fresh);
  }
  if (answer.status >= 200 && answer.status < 300) return answer.body as StoredPart;
  throw ApiError.fromResponse(new Response(null, { status: answer.status, statusText: answer.statusText, headers: answer.headers }), answer.body);
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

function send(part: PartUpload, token: string | null): Promise<XhrAnswer> {
  return new Promise((resolve, reject) => {
    if (part.signal.aborted) {
      reject(new DOMException("Aborted", "AbortError"));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `/api/v1/recordings/uploads/${encodeURIComponent(part.uploadId)}/parts/${part.partNumber}`);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    if (token !== null) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    const bookmark = d1Bookmark.current();
    if (bookmark) xhr.setRequestHeader(d1Bookmark.header, bookmark);
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => part.onProgress(event.loaded);
    const onAbort = () => xhr.abort();
    part.signal.addEventListener("abort", onAbort, { once: true });
    const settle = () => part.signal.removeEventListener("abort", onAbort);
    xhr.onload = () => {
      settle();
      const headers = new Headers();
      for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const at = line.indexOf(":");
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      d1Bookmark.remember(headers.get(d1Bookmark.header));
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, statusText: xhr.statusText, headers, body });
    };
    xhr.onerror = () => {
      settle();
      reject(new ApiError(0, "NETWORK", "Network error"));
    };
    xhr.onabort = () => {
      settle();
      reject(new DOMException("Aborted", "AbortError"));
    };
    xhr.send(part.body);
  });
}

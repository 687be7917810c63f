// Reads a `wrangler dev` Worker isolate's live memory over the DevTools inspector (see MEDIA.md):
// ask for a GC, then Runtime.getHeapUsage; live = usedSize + backingStorageSize (ArrayBuffers).
// workerd never answers HeapProfiler.collectGarbage (and may not run it), so it is sent without
// waiting and the reading can still include garbage: an upper bound. bench/trim.mjs shows how to
// read after a confirmed full GC (a heap snapshot, over workerd's own inspector).
import WebSocket from "ws";

export function isolateLiveMiB(inspectorPort, timeoutMs = 10_000) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("inspector timed out")), timeoutMs)));
  return Promise.race([measure(inspectorPort, timeoutMs), timeout]).finally(() => clearTimeout(timer));
}

async function measure(inspectorPort, timeoutMs) {
  const socket = new WebSocket(`ws://127.0.0.1:${inspectorPort}/ws`);
  await new Promise((resolve, reject) => (socket.once("open", resolve), socket.once("error", reject)));
  try {
    const usage = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("inspector did not answer")), timeoutMs);
      socket.on("message", (data) => {
        const message = JSON.parse(String(data));
        if (message.id === 2) {
          clearTimeout(timer);
          resolve(message.result ?? {});
        }
      });
      socket.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" }));
      setTimeout(() => socket.send(JSON.stringify({ id: 2, method: "Runtime.getHeapUsage" })), 500);
    });
    return ((usage.usedSize ?? 0) + (usage.backingStorageSize ?? 0)) / 1024 / 1024;
  } finally {
    socket.close();
  }
}

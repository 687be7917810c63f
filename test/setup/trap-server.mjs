// @ts-check
/**
 * Vitest global setup, Node side: the SSRF trap. A loopback server counts every TCP connection it
 * receives, whatever is sent (the TLS handshake of an https:// attempt counts too); the run fails
 * at teardown if any arrived. A second loopback server answers `{"connections": n}`, so the SSRF
 * test file can assert the count itself and the failure is attributed to it. Plain JavaScript:
 * it runs in Node, outside workerd, and the project's TypeScript setup has only Workers types.
 * The ports reach the tests through `provide`/`inject` (ssrfTrapPort, ssrfControlPort).
 */
import { createServer } from "node:http";

/** @param {import("node:http").Server} server @returns {Promise<number>} */
const listen = (server) =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });

/** @param {import("node:http").Server} server @returns {Promise<void>} */
const close = (server) =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/** @param {import("vitest/node").TestProject} project */
export default async function setup(project) {
  let connections = 0;
  const trap = createServer((_request, response) => {
    // Looks like a recording server, so nothing stops early for want of a plausible answer.
    response.writeHead(200, { "content-type": "video/mp4", "content-length": "7" });
    response.end("trapped");
  });
  trap.on("connection", () => {
    connections += 1;
  });
  const control = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ connections }));
  });
  project.provide("ssrfTrapPort", await listen(trap));
  project.provide("ssrfControlPort", await listen(control));
  return async () => {
    await Promise.all([close(trap), close(control)]);
    if (connections > 0) {
      process.exitCode = 1;
      throw new Error(`SSRF trap: ${connections} connection(s) reached the loopback trap server; an outbound request escaped the policy`);
    }
  };
}

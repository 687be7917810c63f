import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectStatus } from "./helpers/api";
import { countRows, createTenant } from "./helpers/tenants";
import { serviceContext } from "../src/services/context";

interface Limits {
  max_size: number;
  min_part_size: number;
  max_part_size: number;
  default_part_size: number;
  max_parts: number;
  content_types: string[];
  extensions: string[];
}

const MiB = 1024 * 1024;

describe("upload limits (what the Upload page checks before it starts a session)", () => {
  it("answers the deployment's limits, the same ones a session enforces", async () => {
    const t = await createTenant("limits");
    const limits = await call<Limits>("/api/v1/recordings/uploads/limits", { token: t.accessToken });
    expectStatus(limits, 200);
    expect(limits.body).toMatchObject({ min_part_size: 5 * MiB, max_part_size: 95 * MiB, default_part_size: 16 * MiB, max_parts: 10_000 });
    expect(limits.body.max_size).toBe(serviceContext(env).config.MAX_UPLOAD_BYTES);
    expect(limits.body.content_types).toEqual(expect.arrayContaining(["video/mp4", "audio/mp4", "video/quicktime", "video/webm"]));
    expect(limits.body.extensions).toEqual(["mp4", "m4a", "mov", "webm"]);

    // One byte over the answered maximum is refused by the session itself, and nothing is stored.
    const tooBig = await call("/api/v1/recordings/uploads", {
      token: t.accessToken,
      body: { display_name: "Too big", size: limits.body.max_size + 1, content_type: "video/mp4" },
    });
    expectStatus(tooBig, 413);
    // Every answered type starts a session; the smallest part size is accepted.
    for (const type of limits.body.content_types) {
      const created = await call<{ id: string }>("/api/v1/recordings/uploads", {
        token: t.accessToken,
        body: { display_name: type, size: 6 * MiB, content_type: type, part_size: limits.body.min_part_size },
      });
      expectStatus(created, 201);
      expectStatus(await call(`/api/v1/recordings/uploads/${created.body.id}`, { method: "DELETE", token: t.accessToken }), 200);
    }
    expect(await countRows("recordings", "user_id = ? AND display_name = 'Too big'", t.userId)).toBe(0);
  });

  it("needs a signed-in caller, and is not read as an upload id", async () => {
    expectStatus(await call("/api/v1/recordings/uploads/limits"), 401);
    const t = await createTenant("limits2");
    // A real upload id path still goes to the session lookup: another caller's or unknown id is 404, a hostile one 400.
    expectStatus(await call("/api/v1/recordings/uploads/01JD0Z5N6W4X8T7C2V1B9QK3HA", { token: t.accessToken }), 404);
    expectStatus(await call("/api/v1/recordings/uploads/limits%2F..%2F..", { token: t.accessToken }), 400);
    expectStatus(await call("/api/v1/recordings/uploads/limits", { method: "POST", token: t.accessToken, body: {} }), 404);
  });
});

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { registerViaApi, signIn, uniqueEmail, uploadViaApi } from "./support/accounts";
import { baseURL, launch, newContext, review, trackErrors } from "./support/browser";

// Two lecturers on one service: nothing of one is visible to the other, through the pages or the
// API behind them; and the main journey (to a recording and into it) works from the keyboard alone.

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function api(token: string, method: string, pathname: string, body?: unknown): Promise<Response> {
  return fetch(`${baseURL()}/api/v1${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function created<T>(response: Response): Promise<T> {
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as T;
}

/** What has the keyboard focus: its role-ish tag, its text or label, and whether it shows a focus indicator. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return { tag: "body", name: "", href: "", visible: false, inMain: false, inNav: false };
    const style = getComputedStyle(element);
    // Buttons and links show an outline; Mantine's inputs show it as their border in the primary colour.
    const probe = document.createElement("span");
    probe.style.color = "var(--mantine-primary-color-filled)";
    document.body.append(probe);
    const primary = getComputedStyle(probe).color;
    probe.remove();
    const field = ["input", "select", "textarea"].includes(element.tagName.toLowerCase());
    const ring =
      (style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) > 0) ||
      style.boxShadow !== "none" ||
      (field && style.borderTopColor === primary);
    return {
      tag: element.tagName.toLowerCase(),
      name: (element.getAttribute("aria-label") ?? element.textContent ?? "").trim(),
      href: element.getAttribute("href") ?? "",
      visible: element.matches(":focus-visible") && ring,
      inMain: element.closest("main") !== null || element.id === "main",
      inNav: element.closest("nav") !== null,
    };
  });

/** Presses Tab until `want` says the focus is where it should be (at most `limit` presses). */
async function tabTo(page: Page, want: (f: Awaited<ReturnType<typeof focused>>) => boolean, limit: number, what: string): Promise<Awaited<ReturnType<typeof focused>>> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    // Read again for a moment while no indicator shows: inputs fade their focus border in (100 ms).
    let now = await focused(page);
    for (let wait = 0; wait < 10 && !now.visible && ["input", "select", "textarea"].includes(now.tag); wait++) {
      await page.waitForTimeout(50);
      now = await focused(page);
    }
    if (want(now)) return now;
    seen.push(`${now.tag}:${now.name.slice(0, 30)}`);
  }
  throw new Error(`${what} not reached in ${limit} Tab presses; focus went ${seen.join(" → ")}`);
}

test("another user's recording, its shares, templates and presets are not found for me, in the pages and the API", async () => {
  // A: a recording with a share link, a template, a preset (all through the API).
  const aEmail = uniqueEmail("owner-a");
  const aToken = await registerViaApi(aEmail);
  const secretTitle = `Private seminar of A ${aEmail.slice(8, 16)}`;
  const recordingId = await uploadViaApi(aToken, secretTitle);
  const share = await created<{ id: number | string }>(await api(aToken, "POST", `/recordings/${recordingId}/shares`, {}));
  const template = await created<{ id: number }>(
    await api(aToken, "POST", "/templates", { name: `A's template ${recordingId}`, matching_rules: { keywords: ["seminar"] }, processing_config: {} }),
  );
  const credential = await created<{ id: number }>(
    await api(aToken, "POST", "/credentials", { platform: "yandex_disk", account_name: "A's disk", credentials: { oauth_token: "y0_a_private_token_0123" } }),
  );
  const preset = await created<{ id: number }>(
    await api(aToken, "POST", "/presets", { name: `A's preset ${recordingId}`, platform: "yandex_disk", credential_id: credential.id, preset_metadata: {} }),
  );

  // B signs in and asks for A's things.
  const bEmail = uniqueEmail("other-b");
  const bToken = await registerViaApi(bEmail);
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  await signIn(page, bEmail);

  // A's recording page (with its share management) is a plain "not found", nothing of A's on it.
  await page.goto(`/recordings/${recordingId}`);
  await page.getByRole("heading", { level: 1, name: "Not found" }).waitFor();
  await page.getByText("This page does not exist, or you do not have access to it.").waitFor();
  expect(await page.getByText(secretTitle).count()).toBe(0);
  expect(await page.getByRole("heading", { name: "Share links" }).count()).toBe(0);
  expect(await page.getByRole("button", { name: "Create link" }).count()).toBe(0);
  expect(await page.locator("video").count()).toBe(0);
  await review(page, "isolation-recording-not-found");
  // Its way out works.
  await page.getByRole("link", { name: "Back to recordings" }).click();
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
  await page.getByRole("heading", { name: "No recordings yet" }).waitFor();
  expect(await page.getByText(secretTitle).count()).toBe(0);

  // Not a recording id at all, and a path that does not exist: the same page, no crash.
  for (const path of ["/recordings/not-a-number", "/recordings/0", `/templates/${template.id}/nothing-here`]) {
    await page.goto(path);
    await page.getByRole("heading", { level: 1, name: "Not found" }).waitFor();
  }

  // B's lists have none of A's templates or presets.
  await page.goto("/templates");
  await page.getByRole("heading", { level: 1, name: "Templates" }).waitFor();
  expect(await page.getByText(`A's template ${recordingId}`).count()).toBe(0);
  await page.goto("/presets");
  await page.getByRole("heading", { level: 1 }).waitFor();
  expect(await page.getByText(`A's preset ${recordingId}`).count()).toBe(0);

  // The API behind the pages answers 404 for every id of A's (never 403, which would confirm it exists).
  const asB: [string, string, unknown?][] = [
    ["GET", `/recordings/${recordingId}`],
    ["GET", `/recordings/${recordingId}/shares`],
    ["POST", `/recordings/${recordingId}/shares`, {}],
    ["DELETE", `/recordings/${recordingId}/shares/${share.id}`],
    ["GET", `/templates/${template.id}`],
    ["PATCH", `/templates/${template.id}`, { name: "taken over" }],
    ["GET", `/presets/${preset.id}`],
    ["DELETE", `/presets/${preset.id}`],
  ];
  for (const [method, path, body] of asB) {
    const response = await api(bToken, method, path, body);
    expect(response.status, `${method} ${path} as B: ${await response.clone().text()}`).toBe(404);
  }
  // A's things are untouched.
  expect((await api(aToken, "GET", `/templates/${template.id}`)).status).toBe(200);
  expect((await api(aToken, "GET", `/presets/${preset.id}`)).status).toBe(200);
  const shares = (await (await api(aToken, "GET", `/recordings/${recordingId}/shares`)).json()) as { items?: { revoked_at?: string | null }[] } | { revoked_at?: string | null }[];
  const list = Array.isArray(shares) ? shares : (shares.items ?? []);
  expect(list).toHaveLength(1);
  expect(list[0]?.revoked_at ?? null).toBeNull();

  expect(errors).toEqual([]);
  await context.close();
});

test("from the keyboard: skip link, Tab through the navigation to Recordings, open a recording with Enter; focus always visible", async () => {
  const email = uniqueEmail("keyboard");
  const token = await registerViaApi(email);
  const title = "Keyboard lecture: linear algebra";
  await uploadViaApi(token, title);
  const context = await newContext(browser);
  const page = await context.newPage();
  const errors = trackErrors(page);
  await signIn(page, email);

  // Start on another page, from the top, as a keyboard user arrives.
  const fromTheTop = async () => {
    await page.goto("/upload");
    await page.getByRole("heading", { level: 1, name: "Upload" }).waitFor();
  };
  await fromTheTop();

  // The first Tab shows the skip link; Enter moves the focus to the page's content.
  const skip = await tabTo(page, () => true, 1, "the skip link");
  expect(skip).toMatchObject({ tag: "a", name: "Skip to content", href: "#main", visible: true });
  expect(await page.getByRole("link", { name: "Skip to content" }).isVisible()).toBe(true);
  await review(page, "keyboard-skip-link");
  await page.keyboard.press("Enter");
  await expect.poll(async () => (await focused(page)).inMain).toBe(true);

  // From the top again: Tab through the header into the navigation, to "Recordings"; each stop visible.
  await fromTheTop();
  const stops: Awaited<ReturnType<typeof focused>>[] = [];
  const toRecordings = await tabTo(
    page,
    (f) => {
      stops.push(f);
      return f.inNav && f.name === "Recordings";
    },
    12,
    "the navigation's Recordings link",
  );
  expect(toRecordings.visible, "the Recordings link shows its focus").toBe(true);
  expect(stops.filter((s) => !s.visible).map((s) => `${s.tag}:${s.name}`), "every stop shows its focus").toEqual([]);
  await review(page, "keyboard-navigation-focus");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Recordings" }).waitFor();
  expect(new URL(page.url()).pathname).toBe("/recordings");

  // On to the recording's link in the list (past the filters), then Enter opens it.
  const row = await tabTo(page, (f) => f.inMain && f.tag === "a" && f.name === title, 40, "the recording's link");
  expect(row.visible, "the recording's link shows its focus").toBe(true);
  await review(page, "keyboard-recordings-focus");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: title }).waitFor();
  await review(page, "keyboard-recording-detail");

  expect(errors).toEqual([]);
  await context.close();
}, 120_000);

test("the dashboard's content-hashed files are cached for a year, its index.html is revalidated", async () => {
  const index = await fetch(`${baseURL()}/recordings`);
  expect(index.status).toBe(200);
  expect(index.headers.get("cache-control") ?? "").not.toMatch(/immutable|max-age=[1-9]/);
  const entry = (await index.text()).match(/<script[^>]+src="(\/assets\/[^"]+\.js)"/)?.[1];
  expect(entry, "index.html loads a hashed entry chunk").toBeDefined();
  const script = await fetch(`${baseURL()}${entry}`);
  expect(script.status).toBe(200);
  expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  // The security headers of every static file still apply beside the caching rule.
  expect(script.headers.get("x-content-type-options")).toBe("nosniff");
});

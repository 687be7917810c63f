import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = path.resolve(import.meta.dirname, "../../screenshots");

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

export function baseURL(): string {
  return inject("baseURL");
}

export function launch(): Promise<Browser> {
  // --no-sandbox: CI and these sessions run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
}

export async function newContext(browser: Browser, viewport: keyof typeof VIEWPORTS = "desktop"): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseURL(), viewport: VIEWPORTS[viewport], locale: "en-US", timezoneId: "Europe/Moscow" });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Collects uncaught page errors, so a journey fails on a crash even when the page looks right. */
export function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** Zero serious or critical accessibility violations on the page as it is now (once its CSS transitions, e.g. a dialog fading in, have ended). */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((animation) => !(animation instanceof CSSTransition)));
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(" ")} (${n.failureSummary ?? ""})`).slice(0, 3).join(", ")}`);
  expect(bad, `accessibility violations on ${name}`).toEqual([]);
}

/** The page at desktop and phone widths, under web/screenshots/ (git-ignored), for review. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? VIEWPORTS.desktop;
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** Accessibility check and screenshots of one visited page. */
export async function review(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await screenshots(page, name);
}

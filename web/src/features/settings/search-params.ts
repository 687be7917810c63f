export const SETTINGS_TABS = ["account", "processing", "notifications", "webhooks"] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

export const isSettingsTab = (value: string): value is SettingsTab => (SETTINGS_TABS as readonly string[]).includes(value);

/** `?tab=` of the settings page; the account tab is the default and has no parameter. */
export function validateSettingsSearch(raw: Record<string, unknown>): { tab?: Exclude<SettingsTab, "account"> } {
  const tab = typeof raw.tab === "string" && isSettingsTab(raw.tab) && raw.tab !== "account" ? raw.tab : undefined;
  return tab ? { tab } : {};
}

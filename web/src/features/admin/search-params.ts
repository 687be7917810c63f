export const ADMIN_TABS = ["users", "overview", "audit"] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

export interface AdminSearch {
  tab?: Exclude<AdminTab, "users">;
  /** Users: e-mail search, plan filter, page. */
  q?: string;
  plan?: string;
  page?: number;
  /** Audit log: one action, one target user. */
  action?: string;
  target?: string;
}

const text = (value: unknown, max: number): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, max) : undefined);

/** The admin page's view as URL parameters, so a filtered list is a link to share. */
export function validateAdminSearch(raw: Record<string, unknown>): AdminSearch {
  const tab = raw.tab === "overview" || raw.tab === "audit" ? raw.tab : undefined;
  const page = Number(raw.page);
  const out: AdminSearch = {};
  if (tab) out.tab = tab;
  const q = text(raw.q, 200);
  if (q) out.q = q;
  const plan = text(raw.plan, 50);
  if (plan) out.plan = plan;
  if (Number.isInteger(page) && page > 1) out.page = page;
  const action = text(raw.action, 64);
  if (action) out.action = action;
  const target = text(raw.target, 40);
  if (target) out.target = target;
  return out;
}

/** The automation page's selected job lives in the URL (?job=12), so a job's view is a link. */
export interface AutomationSearch {
  job?: number;
}

export function validateAutomationSearch(raw: Record<string, unknown>): AutomationSearch {
  const job = Number(raw.job);
  return Number.isInteger(job) && job > 0 ? { job } : {};
}

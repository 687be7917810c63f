-- Subscription plans (LEAP ADR-012 values; LEAP never seeded them, so registration found no
-- 'free' plan). NULL limits mean unlimited. Prices are cents.
INSERT INTO subscription_plans
  (name, display_name, description, included_recordings_per_month, included_storage_gb,
   included_transcription_minutes_per_month, max_concurrent_tasks, max_automation_jobs,
   min_automation_interval_hours, price_monthly_cents, price_yearly_cents, is_active, sort_order,
   created_at, updated_at)
VALUES
  ('free', 'Free', 'Try the pipeline on a few lectures a month', 10, 5, 600, 1, 0, 24, 0, 0, 1, 0,
   unixepoch('2026-11-24') * 1000, unixepoch('2026-11-24') * 1000),
  ('plus', 'Plus', 'A course or two', 50, 25, 3000, 2, 3, 6, 1000, 10000, 1, 1,
   unixepoch('2026-11-24') * 1000, unixepoch('2026-11-24') * 1000),
  ('pro', 'Pro', 'A department', 200, 100, 12000, 5, 10, 1, 3000, 30000, 1, 2,
   unixepoch('2026-11-24') * 1000, unixepoch('2026-11-24') * 1000),
  ('enterprise', 'Enterprise', 'A university or school', NULL, NULL, NULL, 10, NULL, 1, 0, 0, 1, 3,
   unixepoch('2026-11-24') * 1000, unixepoch('2026-11-24') * 1000);

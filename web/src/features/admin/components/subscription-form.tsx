import { Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { ErrorAlert } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { fieldErrors } from "../../../lib/api-error";
import { type AdminUser, type SubscriptionChange, useChangeSubscription, useQuotaStats } from "../api/admin-queries";

/** The per-user overrides, each beside the limit it replaces (AdminUser.overrides ↔ AdminUser.limits). */
const OVERRIDES = [
  ["custom_max_recordings_per_month", "recordings_per_month"],
  ["custom_max_storage_gb", "storage_gb"],
  ["custom_max_transcription_minutes_per_month", "transcription_minutes_per_month"],
  ["custom_max_concurrent_tasks", "concurrent_tasks"],
  ["custom_max_automation_jobs", "automation_jobs"],
  ["custom_min_automation_interval_hours", "min_automation_interval_hours"],
] as const satisfies readonly (readonly [keyof SubscriptionChange, keyof AdminUser["limits"]])[];

type OverrideKey = (typeof OVERRIDES)[number][0];
type Values = { plan_name: string; notes: string } & Record<OverrideKey, number | string>;

const MAX = 1_000_000;

/** Plan and overrides: an empty override uses the plan's value, 0 means none (the API's rule). */
export function SubscriptionForm({ user }: { user: AdminUser }) {
  const { t } = useI18n();
  const plans = useQuotaStats();
  const change = useChangeSubscription();
  const initial = (): Values => {
    const values = { plan_name: user.plan_name ?? "free", notes: user.notes ?? "" } as Values;
    for (const [key] of OVERRIDES) values[key] = user.overrides[key] ?? "";
    return values;
  };
  const form = useForm<Values>({
    initialValues: initial(),
    validate: (values) =>
      Object.fromEntries(
        OVERRIDES.map(([key]) => {
          const v = values[key];
          return [key, v === "" || (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= MAX) ? null : t.admin.overrideRange(MAX)];
        }),
      ),
  });

  const submit = form.onSubmit((values) => {
    const body: SubscriptionChange = { plan_name: values.plan_name, notes: values.notes.trim() || null };
    for (const [key] of OVERRIDES) {
      const v = values[key];
      body[key] = typeof v === "number" ? v : null;
    }
    change.mutate(
      { userId: user.user_id, value: body },
      {
        onSuccess: () => form.resetDirty(values),
        onError: (error) => form.setErrors(fieldErrors(error)),
      },
    );
  });

  return (
    <Card withBorder component="section" aria-labelledby="subscription-heading">
      <Title order={2} size="h4" mb="xs" id="subscription-heading">
        {t.admin.subscription}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t.admin.overridesHint}
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Select
            label={t.admin.plan}
            data={plans.data?.plans.map((p) => p.plan_name) ?? [form.values.plan_name]}
            allowDeselect={false}
            maw={280}
            {...form.getInputProps("plan_name")}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            {OVERRIDES.map(([key, limit]) => (
              <NumberInput key={key} label={t.admin.limitNames[limit]} min={0} max={MAX} allowDecimal={false} allowNegative={false} {...form.getInputProps(key)} />
            ))}
          </SimpleGrid>
          <Textarea label={t.admin.notes} maxLength={2000} autosize minRows={2} {...form.getInputProps("notes")} />
          {change.error && Object.keys(fieldErrors(change.error)).length === 0 && <ErrorAlert error={change.error} />}
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t.admin.save}
            </Button>
            {change.isSuccess && !form.isDirty() && (
              <Text role="status" size="sm" c="teal.9">
                {t.admin.saved}
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

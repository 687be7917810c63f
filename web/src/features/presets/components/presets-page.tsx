import { ActiveBadge, ListTable } from "../../../components/list-table";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { usePresets } from "../api/presets-queries";

export function PresetsPage() {
  const { t, dateTime } = useI18n();
  const presets = usePresets();
  return (
    <>
      <PageTitle title={t.presets.title} intro={t.presets.intro} />
      <QueryState query={presets}>
        {(items) => (
          <ListTable
            items={items}
            rowKey={(p) => p.id}
            empty={t.presets.empty}
            columns={[
              { header: t.presets.name, cell: (p) => p.name },
              { header: t.presets.platform, cell: (p) => p.platform },
              { header: t.detail.status, cell: (p) => <ActiveBadge active={p.is_active} on={t.templates.active} off={t.templates.inactive} /> },
              { header: t.settings.lastUsed, cell: (p) => dateTime(p.last_used_at) },
            ]}
          />
        )}
      </QueryState>
    </>
  );
}

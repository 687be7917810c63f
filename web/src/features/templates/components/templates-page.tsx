import { ActiveBadge, ListTable } from "../../../components/list-table";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useTemplates } from "../api/templates-queries";

export function TemplatesPage() {
  const { t, number } = useI18n();
  const templates = useTemplates();
  return (
    <>
      <PageTitle title={t.templates.title} intro={t.templates.intro} />
      <QueryState query={templates}>
        {(items) => (
          <ListTable
            items={items}
            rowKey={(tpl) => tpl.id}
            empty={t.templates.empty}
            columns={[
              { header: t.templates.name, cell: (tpl) => tpl.name },
              { header: t.detail.status, cell: (tpl) => <ActiveBadge active={tpl.is_active} on={t.templates.active} off={t.templates.inactive} /> },
              { header: t.templates.matched, cell: (tpl) => number(tpl.used_count) },
            ]}
          />
        )}
      </QueryState>
    </>
  );
}

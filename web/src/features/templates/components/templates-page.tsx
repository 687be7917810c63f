import { Anchor, Button } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { ListTable } from "../../../components/list-table";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useTemplates } from "../api/templates-queries";
import { StateBadges } from "./state-badges";

export function TemplatesPage() {
  const { t, number, dateTime } = useI18n();
  const templates = useTemplates();
  return (
    <>
      <PageTitle
        title={t.templates.title}
        intro={t.templates.intro}
        actions={
          <Button component={Link} to="/templates/new">
            {t.templates.create}
          </Button>
        }
      />
      <QueryState query={templates}>
        {(items) => (
          <ListTable
            items={items}
            rowKey={(tpl) => tpl.id}
            empty={t.templates.empty}
            minWidth={560}
            columns={[
              {
                header: t.templates.name,
                cell: (tpl) => (
                  <Anchor renderRoot={(props) => <Link {...props} to="/templates/$templateId" params={{ templateId: String(tpl.id) }} />}>
                    {tpl.name}
                  </Anchor>
                ),
              },
              {
                header: t.templates.state,
                cell: (tpl) => <StateBadges template={tpl} />,
              },
              { header: t.templates.matched, cell: (tpl) => number(tpl.used_count) },
              { header: t.templates.lastUsed, cell: (tpl) => (tpl.last_used_at ? dateTime(tpl.last_used_at) : t.templates.never) },
            ]}
          />
        )}
      </QueryState>
    </>
  );
}

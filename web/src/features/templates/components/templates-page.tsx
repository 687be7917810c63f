import { Anchor, Badge, Button, Group } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { ActiveBadge, ListTable } from "../../../components/list-table";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useTemplates } from "../api/templates-queries";

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
                cell: (tpl) => (
                  <Group gap={6}>
                    <ActiveBadge active={tpl.is_active} on={t.templates.active} off={t.templates.inactive} />
                    {tpl.is_draft && (
                      <Badge color="gray" variant="light">
                        {t.templates.draft}
                      </Badge>
                    )}
                  </Group>
                ),
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

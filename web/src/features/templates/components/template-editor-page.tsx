import { Anchor, Badge, Card, Group, Stack } from "@mantine/core";
import { getRouteApi, Link } from "@tanstack/react-router";
import { ActiveBadge } from "../../../components/list-table";
import { NotFound } from "../../../components/not-found";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useTemplate } from "../api/templates-queries";
import { TemplateActions } from "./template-actions";
import { TemplateEditor } from "./template-editor";
import { TemplateRecordings } from "./template-recordings";

const route = getRouteApi("/app/templates/$templateId");

function BackLink() {
  const { t } = useI18n();
  return (
    <Anchor component={Link} to="/templates" size="sm">
      ← {t.templates.back}
    </Anchor>
  );
}

export function NewTemplatePage() {
  const { t } = useI18n();
  return (
    <Stack gap="lg">
      <BackLink />
      <PageTitle title={t.templates.newTitle} intro={t.templates.intro} />
      <TemplateEditor template={null} />
    </Stack>
  );
}

export function EditTemplatePage() {
  const { templateId } = route.useParams();
  const id = /^\d{1,15}$/.test(templateId) ? Number(templateId) : null;
  // Not a template id at all: the same page as someone else's template.
  return id === null || id < 1 ? <NotFound /> : <EditTemplateView id={id} />;
}

function EditTemplateView({ id }: { id: number }) {
  const { t } = useI18n();
  const template = useTemplate(id);
  return (
    <QueryState query={template}>
      {(tpl) => (
        <Stack gap="lg">
          <BackLink />
          <PageTitle
            title={tpl.name}
            intro={tpl.description ?? undefined}
            actions={
              <Group gap={6}>
                <ActiveBadge active={tpl.is_active} on={t.templates.active} off={t.templates.inactive} />
                {tpl.is_draft && (
                  <Badge color="gray" variant="light">
                    {t.templates.draft}
                  </Badge>
                )}
              </Group>
            }
          />
          <Card withBorder>
            <TemplateActions template={tpl} />
          </Card>
          <TemplateEditor key={tpl.id} template={tpl} />
          <Card withBorder>
            <TemplateRecordings templateId={tpl.id} />
          </Card>
        </Stack>
      )}
    </QueryState>
  );
}

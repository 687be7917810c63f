import { Anchor, Card, Stack } from "@mantine/core";
import { useState } from "react";
import { getRouteApi, Link } from "@tanstack/react-router";
import { NotFound } from "../../../components/not-found";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { useTemplate } from "../api/templates-queries";
import { forgetRematch, takeRematch, type RematchSummary } from "./rematch-text";
import { StateBadges } from "./state-badges";
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
  const template = useTemplate(id);
  // A new template's save result is handed over by the editor; it stays until another replaces or closes it.
  const [result, setResult] = useState<RematchSummary | undefined>(() => takeRematch(id));
  const showResult = (next: RematchSummary | undefined) => {
    forgetRematch(id);
    setResult(next);
  };
  return (
    <QueryState query={template}>
      {(tpl) => (
        <Stack gap="lg">
          <BackLink />
          <PageTitle
            title={tpl.name}
            intro={tpl.description ?? undefined}
            actions={<StateBadges template={tpl} />}
          />
          <Card withBorder>
            <TemplateActions template={tpl} result={result} onResult={showResult} />
          </Card>
          <TemplateEditor key={tpl.id} template={tpl} onRematched={showResult} />
          <Card withBorder>
            <TemplateRecordings templateId={tpl.id} />
          </Card>
        </Stack>
      )}
    </QueryState>
  );
}

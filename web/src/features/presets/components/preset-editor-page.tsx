import { Anchor, Stack } from "@mantine/core";
import { getRouteApi, Link } from "@tanstack/react-router";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { usePreset } from "../api/presets-queries";
import { PresetForm } from "./preset-form";

const newRoute = getRouteApi("/app/presets/new");
const editRoute = getRouteApi("/app/presets/$presetId");

function BackLink() {
  const { t } = useI18n();
  return (
    <Anchor size="sm" renderRoot={(props) => <Link {...props} to="/presets" />}>
      ← {t.presets.editor.back}
    </Anchor>
  );
}

export function NewPresetPage() {
  const { t } = useI18n();
  const { platform } = newRoute.useSearch();
  return (
    <Stack gap={0}>
      <BackLink />
      <PageTitle title={t.presets.editor.newTitle} intro={t.presets.editor.intro} />
      <PresetForm initialPlatform={platform} />
    </Stack>
  );
}

export function EditPresetPage() {
  const { t } = useI18n();
  const { presetId } = editRoute.useParams();
  const id = Number(presetId);
  const preset = usePreset(Number.isInteger(id) && id > 0 ? id : 0);
  return (
    <Stack gap={0}>
      <BackLink />
      <QueryState query={preset}>
        {(p) => (
          <>
            <PageTitle title={t.presets.editor.editTitle(p.name)} />
            <PresetForm key={p.id} preset={p} />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

import { Button, Divider, Stack } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { PageTitle } from "../../../components/page-title";
import { QueryState } from "../../../components/query-state";
import { useI18n } from "../../../i18n/i18n-provider";
import { usePresetCredentials, usePresets } from "../api/presets-queries";
import { PresetsTable } from "./presets-table";
import { ThumbnailGallery } from "./thumbnail-gallery";

export function PresetsPage() {
  const { t } = useI18n();
  const presets = usePresets();
  const credentials = usePresetCredentials();
  return (
    <Stack gap="lg">
      <div>
        <PageTitle
          title={t.presets.title}
          intro={t.presets.intro}
          actions={
            <Button renderRoot={(props) => <Link {...props} to="/presets/new" />}>
              {t.presets.newPreset}
            </Button>
          }
        />
        <QueryState query={presets}>{(items) => <PresetsTable presets={items} credentials={credentials.data ?? []} />}</QueryState>
      </div>
      <Divider />
      <ThumbnailGallery />
    </Stack>
  );
}

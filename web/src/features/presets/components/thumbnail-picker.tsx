import { Group, Select, Stack } from "@mantine/core";
import { useI18n } from "../../../i18n/i18n-provider";
import { useThumbnails } from "../api/thumbnails-queries";
import { ThumbnailImage } from "./thumbnail-image";

/** Which gallery image a YouTube or VK preset uploads as the cover (stored by name; a bare stem matches any extension). */
export function ThumbnailPicker({ value, onChange, error }: { value: string | null; onChange: (name: string | null) => void; error?: string }) {
  const { t } = useI18n();
  const thumbnails = useThumbnails();
  const items = thumbnails.data ?? [];
  const data = items.map((th) => ({ value: th.name, label: th.is_template ? `${th.name} (${t.presets.thumbnails.shared})` : th.name }));
  // A stored name not in the gallery (deleted since, or a bare stem) stays selectable, so saving does not drop it silently.
  if (value && !items.some((th) => th.name === value)) data.unshift({ value, label: value });
  const selected = items.find((th) => th.name === value) ?? items.find((th) => value !== null && th.name.replace(/\.[^.]+$/, "") === value);
  return (
    <Stack gap={6}>
      <Select
        label={t.presets.thumbnails.picker}
        description={t.presets.thumbnails.pickerHint}
        placeholder={t.presets.thumbnails.none}
        data={data}
        value={value}
        onChange={onChange}
        clearable
        searchable
        nothingFoundMessage={t.presets.thumbnails.empty}
        error={error}
      />
      {selected && (
        <Group>
          <div style={{ width: 160 }}>
            <ThumbnailImage thumbnail={selected} height={90} />
          </div>
        </Group>
      )}
    </Stack>
  );
}

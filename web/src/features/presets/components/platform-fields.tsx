import { Checkbox, Select, SimpleGrid, Stack, TagsInput, TextInput } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { useI18n } from "../../../i18n/i18n-provider";
import type { PresetFormValues } from "../preset-form-values";
import { ThumbnailPicker } from "./thumbnail-picker";

type Form = UseFormReturnType<PresetFormValues>;

/** The settings of the form's platform, with the API's messages beside them (`errors` is keyed by metadata field). */
export function PlatformFields({ form, errors }: { form: Form; errors: Record<string, string> }) {
  const platform = form.values.platform;
  if (platform === "youtube") return <YouTubeFields form={form} errors={errors} />;
  if (platform === "vk") return <VkFields form={form} errors={errors} />;
  return <YandexDiskFields form={form} errors={errors} />;
}

function YouTubeFields({ form, errors }: { form: Form; errors: Record<string, string> }) {
  const { t } = useI18n();
  const y = t.presets.youtube;
  const options = <K extends string>(labels: Record<K, string>) => (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Select label={y.privacy} data={options(y.privacyOptions)} allowDeselect={false} {...form.getInputProps("youtube.privacy")} error={errors.privacy} />
        <Select label={y.license} data={options(y.licenseOptions)} allowDeselect={false} {...form.getInputProps("youtube.license")} error={errors.license} />
        <TextInput label={y.category} description={y.categoryHint} inputMode="numeric" {...form.getInputProps("youtube.categoryId")} error={errors.category_id} />
        <TextInput label={y.playlist} description={y.playlistHint} {...form.getInputProps("youtube.playlistId")} error={errors.playlist_id} />
        <TextInput label={y.language} description={y.languageHint} {...form.getInputProps("youtube.defaultLanguage")} error={errors.default_language} />
        <TagsInput label={y.tags} description={y.tagsHint} clearable {...form.getInputProps("youtube.tags")} error={errors.tags} />
      </SimpleGrid>
      <ThumbnailPicker value={form.values.youtube.thumbnailName} onChange={(name) => form.setFieldValue("youtube.thumbnailName", name)} error={errors.thumbnail_name} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Checkbox label={y.madeForKids} {...form.getInputProps("youtube.madeForKids", { type: "checkbox" })} />
        <Checkbox label={y.embeddable} {...form.getInputProps("youtube.embeddable", { type: "checkbox" })} />
        <Checkbox label={y.notifySubscribers} {...form.getInputProps("youtube.notifySubscribers", { type: "checkbox" })} />
        <Checkbox label={y.disableComments} {...form.getInputProps("youtube.disableComments", { type: "checkbox" })} />
      </SimpleGrid>
    </Stack>
  );
}

function VkFields({ form, errors }: { form: Form; errors: Record<string, string> }) {
  const { t } = useI18n();
  const v = t.presets.vk;
  const privacy = (Object.keys(v.privacyOptions) as Array<keyof typeof v.privacyOptions>).map((value) => ({ value, label: v.privacyOptions[value] }));
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Select label={v.privacyView} data={privacy} allowDeselect={false} {...form.getInputProps("vk.privacyView")} error={errors.privacy_view} />
        <Select label={v.privacyComment} data={privacy} allowDeselect={false} {...form.getInputProps("vk.privacyComment")} error={errors.privacy_comment} />
        <TextInput label={v.group} description={v.groupHint} inputMode="numeric" {...form.getInputProps("vk.groupId")} error={errors.group_id} />
        <TextInput label={v.album} inputMode="numeric" {...form.getInputProps("vk.albumId")} error={errors.album_id} />
        <TextInput label={v.albumTitle} description={v.albumTitleHint} {...form.getInputProps("vk.albumTitle")} error={errors.album_title} />
      </SimpleGrid>
      <ThumbnailPicker value={form.values.vk.thumbnailName} onChange={(name) => form.setFieldValue("vk.thumbnailName", name)} error={errors.thumbnail_name} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Checkbox label={v.disableComments} {...form.getInputProps("vk.disableComments", { type: "checkbox" })} />
        <Checkbox label={v.repeat} {...form.getInputProps("vk.repeat", { type: "checkbox" })} />
        <Checkbox label={v.compression} {...form.getInputProps("vk.compression", { type: "checkbox" })} />
        <Checkbox label={v.wallpost} {...form.getInputProps("vk.wallpost", { type: "checkbox" })} />
      </SimpleGrid>
    </Stack>
  );
}

function YandexDiskFields({ form, errors }: { form: Form; errors: Record<string, string> }) {
  const { t } = useI18n();
  const d = t.presets.yandexDisk;
  return (
    <Stack gap="sm">
      <TextInput label={d.folder} description={d.folderHint} {...form.getInputProps("yandexDisk.folderPath")} error={errors.folder_path} styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }} />
      <Checkbox label={d.overwrite} {...form.getInputProps("yandexDisk.overwrite", { type: "checkbox" })} />
      <Checkbox label={d.publish} {...form.getInputProps("yandexDisk.publish", { type: "checkbox" })} />
    </Stack>
  );
}

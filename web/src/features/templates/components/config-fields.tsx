import { Checkbox, Fieldset, MultiSelect, NativeSelect, NumberInput, SimpleGrid, Stack, TagsInput, Text, Textarea, TextInput, Title } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { useI18n } from "../../../i18n/i18n-provider";
import { usePresetOptions } from "../api/templates-queries";
import type { TemplateFormValues } from "../form-model";

type Form = UseFormReturnType<TemplateFormValues>;

/** On / off / the account's setting, for a setting a template may override. */
function OverrideSelect({ form, path, label }: { form: Form; path: string; label: string }) {
  const { t } = useI18n();
  return (
    <NativeSelect
      label={label}
      data={[
        { value: "inherit", label: t.templates.inherit },
        { value: "on", label: t.templates.on },
        { value: "off", label: t.templates.off },
      ]}
      {...form.getInputProps(path)}
    />
  );
}

function Subheading({ children }: { children: string }) {
  return (
    <Title order={3} size="h5" mt="xs">
      {children}
    </Title>
  );
}

const p = "processing_config";

/** The processing layer: trimming, transcription (topics, subtitles, translation) and download. */
export function ProcessingFields({ form }: { form: Form }) {
  const { t } = useI18n();
  const granularities = ["short", "medium", "long"].map((value) => ({ value, label: t.templates.granularities[value] ?? value }));
  return (
    <Fieldset legend={t.templates.processing}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t.templates.processingIntro}
        </Text>
        <Subheading>{t.templates.trim}</Subheading>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <OverrideSelect form={form} path={`${p}.processing.enable_processing`} label={t.templates.enableProcessing} />
          <NumberInput label={t.templates.minSilence} min={0.1} max={60} step={0.5} decimalScale={2} {...form.getInputProps(`${p}.processing.min_silence_duration`)} />
          <NumberInput label={t.templates.paddingBefore} min={0} max={60} step={0.5} decimalScale={2} {...form.getInputProps(`${p}.processing.padding_before`)} />
          <NumberInput label={t.templates.paddingAfter} min={0} max={60} step={0.5} decimalScale={2} {...form.getInputProps(`${p}.processing.padding_after`)} />
        </SimpleGrid>
        <Subheading>{t.templates.transcription}</Subheading>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <OverrideSelect form={form} path={`${p}.transcription.enable_transcription`} label={t.templates.enableTranscription} />
          <TextInput label={t.templates.language} description={t.templates.languageHint} maxLength={10} {...form.getInputProps(`${p}.transcription.language`)} />
        </SimpleGrid>
        <Textarea label={t.templates.prompt} description={t.templates.promptHint} autosize minRows={2} maxLength={2000} {...form.getInputProps(`${p}.transcription.prompt`)} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <OverrideSelect form={form} path={`${p}.transcription.enable_topics`} label={t.templates.enableTopics} />
          <NativeSelect
            label={t.templates.granularity}
            data={[{ value: "", label: t.templates.inherit }, ...granularities]}
            {...form.getInputProps(`${p}.transcription.granularity`)}
          />
          <OverrideSelect form={form} path={`${p}.transcription.enable_subtitles`} label={t.templates.enableSubtitles} />
          <Checkbox.Group label={t.templates.subtitleFormats} {...form.getInputProps(`${p}.transcription.subtitle_formats`)}>
            <SimpleGrid cols={2} mt={6}>
              <Checkbox value="srt" label="SRT" />
              <Checkbox value="vtt" label="VTT" />
            </SimpleGrid>
          </Checkbox.Group>
          <OverrideSelect form={form} path={`${p}.transcription.enable_translation`} label={t.templates.enableTranslation} />
          <TextInput label={t.templates.translationLanguage} maxLength={10} {...form.getInputProps(`${p}.transcription.translation_language`)} />
        </SimpleGrid>
        <Subheading>{t.templates.download}</Subheading>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <OverrideSelect form={form} path={`${p}.download.auto_download`} label={t.templates.autoDownload} />
        </SimpleGrid>
      </Stack>
    </Fieldset>
  );
}

const m = "metadata_config";

/** Title, description and tags, and what each platform takes on top. */
export function MetadataFields({ form }: { form: Form }) {
  const { t } = useI18n();
  const privacies = ["public", "unlisted", "private"].map((value) => ({ value, label: t.templates.privacies[value] ?? value }));
  return (
    <Fieldset legend={t.templates.metadata}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t.templates.metadataIntro}
        </Text>
        <TextInput label={t.templates.titleTemplate} maxLength={500} spellCheck={false} {...form.getInputProps(`${m}.title_template`)} />
        <Textarea label={t.templates.descriptionTemplate} autosize minRows={3} maxRows={10} maxLength={5000} {...form.getInputProps(`${m}.description_template`)} />
        <TagsInput label={t.templates.tags} description={t.templates.tagsHint} maxTags={50} clearable {...form.getInputProps(`${m}.tags`)} />
        <Subheading>{t.templates.youtube}</Subheading>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <NativeSelect label={t.templates.privacy} data={[{ value: "", label: t.templates.inherit }, ...privacies]} {...form.getInputProps(`${m}.youtube.privacy`)} />
          <TextInput label={t.templates.playlistId} spellCheck={false} {...form.getInputProps(`${m}.youtube.playlist_id`)} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Stack gap="sm">
            <Subheading>{t.templates.vk}</Subheading>
            <TextInput label={t.templates.albumId} spellCheck={false} {...form.getInputProps(`${m}.vk.album_id`)} />
          </Stack>
          <Stack gap="sm">
            <Subheading>{t.templates.yandexDisk}</Subheading>
            <TextInput label={t.templates.folderPath} spellCheck={false} {...form.getInputProps(`${m}.yandex_disk.folder_path`)} />
          </Stack>
        </SimpleGrid>
      </Stack>
    </Fieldset>
  );
}

/** Which presets publish a matched recording, and whether it happens by itself. */
export function OutputFields({ form }: { form: Form }) {
  const { t } = useI18n();
  const presets = usePresetOptions();
  const options = (presets.data ?? []).map((preset) => ({ value: String(preset.id), label: `${preset.name} (${preset.platform})` }));
  return (
    <Fieldset legend={t.templates.output}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t.templates.outputIntro}
        </Text>
        <MultiSelect
          label={t.templates.presets}
          description={presets.data && options.length === 0 ? t.templates.noPresets : t.templates.presetsHint}
          data={options}
          maxValues={10}
          searchable
          clearable
          {...form.getInputProps("output_config.preset_ids")}
        />
        <Checkbox label={t.templates.autoUpload} {...form.getInputProps("output_config.auto_upload", { type: "checkbox" })} />
        <Checkbox label={t.templates.uploadCaptions} {...form.getInputProps("output_config.upload_captions", { type: "checkbox" })} />
      </Stack>
    </Fieldset>
  );
}

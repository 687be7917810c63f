import { Checkbox, Fieldset, MultiSelect, SimpleGrid, Stack, Text, Textarea } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { useI18n } from "../../../i18n/i18n-provider";
import { useSourceOptions } from "../api/templates-queries";
import type { RuleList, TemplateFormValues } from "../form-model";

interface Props {
  form: UseFormReturnType<TemplateFormValues>;
  /** Problems the live preview found in the rules (a pattern RE2 cannot run), keyed like form errors. */
  liveErrors: Record<string, string>;
}

/** The matching rules as a form: one textarea per rule list (one item a line), sources, case. */
export function RulesFields({ form, liveErrors }: Props) {
  const { t } = useI18n();
  const sources = useSourceOptions();
  const list = (name: RuleList, label: string, description?: string) => {
    const path = `matching_rules.${name}`;
    const props = form.getInputProps(path);
    return (
      <Textarea
        label={label}
        description={description}
        autosize
        minRows={2}
        maxRows={8}
        spellCheck={false}
        {...props}
        error={props.error ?? liveErrors[path]}
      />
    );
  };
  const whole = form.errors.matching_rules;
  return (
    <Fieldset legend={t.templates.rules} aria-describedby="rules-intro">
      <Stack gap="sm">
        <Text id="rules-intro" size="sm" c="dimmed">
          {t.templates.rulesIntro}
        </Text>
        {whole && (
          <Text c="red.8" size="sm" role="alert">
            {whole}
          </Text>
        )}
        {list("keywords", t.templates.keywords, t.templates.keywordsHint)}
        {list("exact_matches", t.templates.exactMatches, t.templates.exactMatchesHint)}
        {list("patterns", t.templates.patterns, t.templates.patternsHint)}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {list("exclude_keywords", t.templates.excludeKeywords)}
          {list("exclude_patterns", t.templates.excludePatterns)}
        </SimpleGrid>
        <MultiSelect
          label={t.templates.sources}
          description={t.templates.sourcesHint}
          data={(sources.data ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
          searchable
          clearable
          {...form.getInputProps("matching_rules.source_ids")}
        />
        <Checkbox label={t.templates.caseSensitive} {...form.getInputProps("matching_rules.case_sensitive", { type: "checkbox" })} />
      </Stack>
    </Fieldset>
  );
}

import { NativeSelect } from "@mantine/core";
import { LANGUAGES, useI18n, type Language } from "../i18n/i18n-provider";

export function LanguageSelect() {
  const { t, language, setLanguage } = useI18n();
  return (
    <NativeSelect
      aria-label={t.app.language}
      size="xs"
      value={language}
      onChange={(event) => setLanguage(event.currentTarget.value as Language)}
      data={Object.entries(LANGUAGES).map(([value, dictionary]) => ({ value, label: dictionary.languageName }))}
    />
  );
}

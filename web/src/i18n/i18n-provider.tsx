import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { browserTimeZone, formatBytes, formatDateTime, formatDuration, formatMilliseconds, formatNumber, isTimeZone } from "../lib/format";
import { en, type Dictionary } from "./en";
import { ru } from "./ru";

export const LANGUAGES = { en, ru } as const satisfies Record<string, Dictionary>;
export type Language = keyof typeof LANGUAGES;

const LANGUAGE_KEY = "lp.language";
const TIME_ZONE_KEY = "lp.timeZone";

function initialLanguage(): Language {
  const stored = localStorage.getItem(LANGUAGE_KEY);
  if (stored === "en" || stored === "ru") return stored;
  return navigator.language.toLowerCase().startsWith("ru") ? "ru" : "en";
}

function initialTimeZone(): string {
  const stored = localStorage.getItem(TIME_ZONE_KEY);
  return stored && isTimeZone(stored) ? stored : browserTimeZone();
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  timeZone: string;
  setTimeZone: (timeZone: string) => void;
  t: Dictionary;
  dateTime: (iso: string | null | undefined) => string;
  duration: (seconds: number | null | undefined) => string;
  milliseconds: (ms: number | null | undefined) => string;
  bytes: (bytes: number | null | undefined) => string;
  number: (value: number) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [timeZone, setTimeZoneState] = useState<string>(initialTimeZone);

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(LANGUAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const setTimeZone = useCallback((next: string) => {
    if (!isTimeZone(next)) return;
    localStorage.setItem(TIME_ZONE_KEY, next);
    setTimeZoneState(next);
  }, []);

  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage,
      timeZone,
      setTimeZone,
      t: LANGUAGES[language],
      dateTime: (iso) => formatDateTime(iso, language, timeZone),
      duration: (seconds) => formatDuration(seconds, language),
      milliseconds: (ms) => formatMilliseconds(ms, language),
      bytes: (bytes) => formatBytes(bytes, language),
      number: (n) => formatNumber(n, language),
    }),
    [language, setLanguage, timeZone, setTimeZone],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error("useI18n outside I18nProvider");
  return context;
}

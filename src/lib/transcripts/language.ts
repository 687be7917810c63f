/**
 * Language names and codes → ISO 639-1. OpenAI's whisper-1 answers with a full English name
 * ("russian"), Fireworks with a code ("ru"), AssemblyAI with a code that may carry a region
 * ("en_us"). Names are Whisper's, plus common alternatives.
 */
const NAMES_BY_CODE: Readonly<Record<string, readonly string[]>> = {
  en: ["english"], ru: ["russian"], uk: ["ukrainian"], be: ["belarusian"], kk: ["kazakh"],
  uz: ["uzbek"], ky: ["kyrgyz", "kirghiz"], tg: ["tajik"], tk: ["turkmen"], hy: ["armenian"],
  ka: ["georgian"], az: ["azerbaijani"], tt: ["tatar"], ba: ["bashkir"], de: ["german"],
  fr: ["french"], es: ["spanish", "castilian"], it: ["italian"], pt: ["portuguese"],
  nl: ["dutch", "flemish"], pl: ["polish"], cs: ["czech"], sk: ["slovak"], sl: ["slovenian"],
  hr: ["croatian"], sr: ["serbian"], bs: ["bosnian"], mk: ["macedonian"], bg: ["bulgarian"],
  ro: ["romanian", "moldavian", "moldovan"], hu: ["hungarian"], el: ["greek"], tr: ["turkish"],
  sv: ["swedish"], no: ["norwegian"], nn: ["nynorsk"], da: ["danish"], fi: ["finnish"],
  et: ["estonian"], lv: ["latvian"], lt: ["lithuanian"], is: ["icelandic"], ga: ["irish"],
  cy: ["welsh"], ca: ["catalan", "valencian"], eu: ["basque"], gl: ["galician"], he: ["hebrew"],
  ar: ["arabic"], fa: ["persian", "farsi"], ur: ["urdu"], hi: ["hindi"], bn: ["bengali", "bangla"],
  ta: ["tamil"], te: ["telugu"], mr: ["marathi"], gu: ["gujarati"], kn: ["kannada"],
  ml: ["malayalam"], pa: ["punjabi", "panjabi"], ne: ["nepali"], si: ["sinhala", "sinhalese"],
  zh: ["chinese", "mandarin", "cantonese"], ja: ["japanese"], ko: ["korean"], vi: ["vietnamese"],
  th: ["thai"], id: ["indonesian"], ms: ["malay"], tl: ["tagalog", "filipino"], jv: ["javanese"],
  sw: ["swahili"], af: ["afrikaans"], sq: ["albanian"], mn: ["mongolian"], km: ["khmer"],
  lo: ["lao"], my: ["burmese", "myanmar"], am: ["amharic"], yo: ["yoruba"], ha: ["hausa"],
  so: ["somali"], la: ["latin"], eo: ["esperanto"], lb: ["luxembourgish", "letzeburgesch"],
  ht: ["haitian creole", "haitian"], ps: ["pashto", "pushto"], sa: ["sanskrit"], yi: ["yiddish"],
};

/** ISO 639-2/3 and retired codes that providers still send. */
const ALIASES: Readonly<Record<string, string>> = {
  rus: "ru", eng: "en", ukr: "uk", bel: "be", kaz: "kk", uzb: "uz", deu: "de", ger: "de",
  fra: "fr", fre: "fr", spa: "es", ita: "it", por: "pt", nld: "nl", dut: "nl", pol: "pl",
  ces: "cs", cze: "cs", tur: "tr", ara: "ar", heb: "he", zho: "zh", chi: "zh", jpn: "ja",
  kor: "ko", hin: "hi", iw: "he", in: "id", ji: "yi", jw: "jv", yue: "zh", cmn: "zh",
};

const CODE_BY_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(NAMES_BY_CODE).flatMap(([code, names]) => names.map((name) => [name, code] as const)),
);

/**
 * The ISO 639-1 code for a language name or code ("Russian", "ru", "ru-RU", "en_us", "rus"), or
 * null when it is not recognisable. Any two-letter code is taken as ISO 639-1 even when it is not
 * in the table above (the table is for names, not a full registry).
 */
export function languageCode(nameOrCode: string | null | undefined): string | null {
  const value = (nameOrCode ?? "").trim().toLowerCase().replace(/\s+/g, " ");
  if (value === "") return null;
  const byName = CODE_BY_NAME.get(value);
  if (byName) return byName;
  const base = /^([a-z]{2,3})(?:[-_][a-z0-9]+)*$/.exec(value)?.[1];
  if (base === undefined) return null;
  const alias = ALIASES[base];
  if (alias) return alias;
  return base.length === 2 ? base : null;
}

/** The English name of an ISO 639-1 code ("ru" → "Russian"); the code itself when unknown. */
export function languageName(code: string): string {
  const name = NAMES_BY_CODE[code.toLowerCase()]?.[0];
  return name ? name.replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase()) : code;
}

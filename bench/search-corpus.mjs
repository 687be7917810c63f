// Generated lecture text for the search benches: Russian and English sentences from a vocabulary
// whose Russian nouns appear in all their case forms (so inflection handling can be scored), about
// 60 KB of text per hour of speech, cut into ~10-second segments like a transcript's.

/** Lemmas with the forms a lecture uses (nominative first). */
export const RU_LEMMAS = {
  лекция: ["лекция", "лекции", "лекцию", "лекцией", "лекциях", "лекциям", "лекций"],
  матрица: ["матрица", "матрицы", "матрицу", "матрицей", "матрице", "матриц", "матрицами"],
  уравнение: ["уравнение", "уравнения", "уравнению", "уравнением", "уравнении", "уравнений"],
  функция: ["функция", "функции", "функцию", "функцией", "функций", "функциями"],
  производная: ["производная", "производной", "производную", "производные", "производных"],
  интеграл: ["интеграл", "интеграла", "интегралу", "интегралом", "интеграле", "интегралы"],
  вектор: ["вектор", "вектора", "вектору", "вектором", "векторе", "векторы", "векторов"],
  теорема: ["теорема", "теоремы", "теорему", "теоремой", "теореме", "теорем"],
  ёлка: ["ёлка", "ёлки", "ёлку", "ёлкой", "ёлке"],
};
const RU_FILLER = (
  "мы сегодня рассмотрим как это работает на практике и почему это важно для понимания " +
  "давайте вспомним что было на прошлом занятии здесь нужно обратить внимание на знак " +
  "обозначим через икс затем подставим получим следующее выражение видно что оно равно нулю " +
  "это следует из определения поэтому доказательство закончено перейдём к примеру"
).split(" ");
const EN = (
  "today we look at how the method works in practice and why it matters for the exam " +
  "let us recall the definition from the previous lecture note the sign of the derivative " +
  "the eigenvalues of the matrix give the answer so the proof is complete consider an example " +
  "vector space linear map kernel image basis dimension theorem integral function equation café"
).split(" ");

/** Deterministic PRNG (mulberry32) so every run indexes the same text. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const lemmaNames = Object.keys(RU_LEMMAS);

function sentence(random, russian) {
  const words = [];
  const n = 8 + Math.floor(random() * 10);
  for (let i = 0; i < n; i++) {
    if (russian && random() < 0.12) {
      const forms = RU_LEMMAS[lemmaNames[Math.floor(random() * lemmaNames.length)]];
      words.push(forms[Math.floor(random() * forms.length)]);
    } else {
      const pool = russian ? RU_FILLER : EN;
      words.push(pool[Math.floor(random() * pool.length)]);
    }
  }
  const text = words.join(" ");
  return `${text[0].toUpperCase() + text.slice(1)}.`;
}

/**
 * Transcript segments for `seconds` of speech: ~1 000 characters a minute (60 KB an hour), about
 * every 10 seconds a segment; Russian lectures with some English terms, or English ones.
 */
export function transcriptSegments(seed, seconds = 3600, russian = seed % 4 !== 0) {
  const random = rng(seed);
  const segments = [];
  for (let start = 0; start < seconds; start += 10) {
    let text = "";
    while (text.length < 100) text += (text ? " " : "") + sentence(random, russian && random() > 0.05);
    segments.push({ start, text });
  }
  return segments;
}

/** Segments joined into ~1 000-character chunks with [offset, seconds] marks, as the Worker indexes them. */
export function chunks(segments, size = 1000) {
  const out = [];
  let text = "";
  let marks = [];
  for (const s of segments) {
    if (text) text += " ";
    marks.push([text.length, s.start]);
    text += s.text;
    if (text.length >= size) {
      out.push({ text, start: marks[0][1], marks });
      text = "";
      marks = [];
    }
  }
  if (text) out.push({ text, start: marks[0][1], marks });
  return out;
}

export const SUBJECTS = ["Линейная алгебра", "Математический анализ", "Physics", "История", "Linear algebra", "Программирование", "Теория вероятностей", "Economics"];

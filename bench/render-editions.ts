import type { Article } from '../src/model/article.js';
import type { EditionContent, EditionLabel, EditionSection } from '../src/model/edition.js';
import { seededRandom } from './synthetic-data.js';

/**
 * Editions for the render cost benchmark and the render golden test, built directly (no store,
 * no planner) from a fixed seed, so every run renders the very same content.
 * `benchEditions` looks like the distinct editions of the synthetic million-reader day: 1 to 6
 * topics of 5 stories, nine-word headlines, 60% with a photo. `variedEditions` adds what real
 * newsrooms send: accents, CJK, emoji, markup-like text, "%%", missing links and photos, relative
 * URLs, long headlines, bylines, bad timestamps, weekly and weekday labels, and oversized stories
 * that force trimming.
 */

const WORDS = 'minister market storm league court budget election rescue vaccine summit strike harbour rail chip drought festival council tariff'.split(' ');
const ODD_WORDS = ['Zürich', 'café', 'naïve', 'Ελλάδα', '北京', '台風', '경제', 'São Paulo', '🚆', '“quoted”', '<b>bold</b>', 'A&B', "it's", '100%%', '50%', '—', 'Łódź'];
const ODD_TOPICS = ['Économie', '中国', 'World & "News"', 'Ελλάδα', 'Sport <live>', 'Ireland/Éire', 'テクノロジー', 'Climate'];

type Rand = () => number;

const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

function words(rand: Rand, count: number, odd: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(rand() < odd ? pick(rand, ODD_WORDS) : pick(rand, WORDS));
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function timestamp(rand: Rand): string {
  return new Date(Date.UTC(2026, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), Math.floor(rand() * 24), Math.floor(rand() * 60))).toISOString();
}

function benchArticle(rand: Rand, id: number): Article {
  const withImage = rand() < 0.6;
  const seen = timestamp(rand);
  const title = words(rand, 9, 0);
  return {
    id,
    key: `https://news.example/bench/${id}`,
    url: `https://news.example/bench/${id}`,
    title,
    summary: `${words(rand, 30, 0)}.`,
    // About 120 words, as in the synthetic day; no template shows it.
    body: `${title}. `.repeat(13),
    image: withImage ? { url: `https://news.example/images/${id}.jpg`, caption: words(rand, 12, 0), credit: 'Bench Wire' } : null,
    source: 'Bench Wire',
    publishedAt: seen,
    firstSeenAt: seen,
    topics: [],
  };
}

function variedImage(rand: Rand, id: number): Article['image'] {
  const r = rand();
  if (r < 0.35) return null;
  const url = r < 0.45 ? null : r < 0.55 ? `/static/img/${id}.png` : `https://img.example/${id}.jpg?w=1200&h=675`;
  const sized = rand() < 0.5;
  return {
    url,
    caption: rand() < 0.7 ? words(rand, 4 + Math.floor(rand() * 14), 0.2) : null,
    credit: rand() < 0.6 ? pick(rand, ['Staff', 'Ana Müller/Reuters', '新华社', 'AP']) : null,
    ...(sized ? { width: 300 + Math.floor(rand() * 1500), height: 200 + Math.floor(rand() * 900) } : {}),
  };
}

function variedArticle(rand: Rand, id: number, oversized: boolean): Article {
  const titleWords = rand() < 0.1 ? 40 + Math.floor(rand() * 30) : 3 + Math.floor(rand() * 12);
  const summaryWords = oversized ? 2500 + Math.floor(rand() * 3000) : Math.floor(rand() * 80);
  const u = rand();
  return {
    id,
    key: `varied:${id}`,
    url: u < 0.1 ? null : u < 0.15 ? `/local/${id}` : u < 0.18 ? 'javascript:alert(1)' : `https://news.example/story/${id}?utm=1&x=%%y`,
    title: words(rand, titleWords, 0.25),
    summary: summaryWords === 0 ? null : words(rand, summaryWords, 0.15),
    body: '',
    image: variedImage(rand, id),
    source: rand() < 0.15 ? null : pick(rand, ['Harbour Wire', 'Le Monde & Co', '联合早报', 'The "Times"']),
    author: rand() < 0.4 ? pick(rand, ['Lin Wei', 'José Ñúñez', 'O\'Brien', '山田太郎']) : null,
    publishedAt: rand() < 0.05 ? 'not a date' : timestamp(rand),
    firstSeenAt: timestamp(rand),
    topics: [],
  };
}

function label(rand: Rand, localDate: string): EditionLabel | undefined {
  const r = rand();
  if (r < 0.5) return undefined;
  if (r < 0.7) return { frequency: 'daily', from: localDate, to: localDate, text: `Your daily digest, ${localDate}` };
  if (r < 0.85) return { frequency: 'weekdays', from: localDate, to: localDate, text: 'Your weekday digest, Friday 27 November' };
  return { frequency: 'weekly', from: '2026-11-23', to: localDate, text: 'Your weekly digest, 23–29 November' };
}

/** The synthetic day's shape: 30 topics, 1,000 stories, 5 stories per topic in an edition. */
const TOPICS = 30;
const POOL = 1_000;
const PER_TOPIC = 5;

/**
 * `count` distinct editions shaped like the synthetic million-reader day (bench/synthetic-data.ts):
 * each follows 1 to 6 topics (popular ones more often) and shows each topic's 5 newest stories
 * from a pool of 1,000, a story shared by two followed topics only in the first; so, as on a real
 * day, editions share most of their stories. With `shared: false` every story is new (the worst
 * case for anything reused across editions).
 */
export function benchEditions(count: number, seed = 7, shared = true): EditionContent[] {
  const rand = seededRandom(seed);
  const topicWeight = Array.from({ length: TOPICS }, (_, i) => 1 / (i + 1) ** 1.1);
  const weightTotal = topicWeight.reduce((a, b) => a + b, 0);
  const drawTopic = () => {
    let v = rand() * weightTotal;
    for (let i = 0; i < TOPICS; i++) if ((v -= topicWeight[i]!) < 0) return i;
    return TOPICS - 1;
  };
  // Newest first in each topic; three in ten stories also belong to a second topic.
  const byTopic: Article[][] = Array.from({ length: TOPICS }, () => []);
  for (let id = 1; id <= POOL; id++) {
    const article = benchArticle(rand, id);
    const topics = new Set([(id - 1) % TOPICS, ...(rand() < 0.3 ? [drawTopic()] : [])]);
    for (const t of topics) byTopic[t]!.unshift(article);
  }
  const seen = new Set<string>();
  const editions: EditionContent[] = [];
  let id = POOL + 1;
  while (editions.length < count) {
    const want = 1 + Math.floor(rand() * 6);
    const chosen = new Set<number>();
    while (chosen.size < want) chosen.add(drawTopic());
    const topics = [...chosen].sort((a, b) => a - b);
    if (shared && seen.has(topics.join())) continue;
    seen.add(topics.join());
    const used = new Set<number>();
    const sections: EditionSection[] = topics.map((t) => ({
      topic: { slug: `topic-${String(t + 1).padStart(2, '0')}`, name: `Topic ${t + 1}` },
      articles: shared ? byTopic[t]!.filter((a) => !used.has(a.id)).slice(0, PER_TOPIC).map((a) => (used.add(a.id), a)) : Array.from({ length: PER_TOPIC }, () => benchArticle(rand, id++)),
    }));
    editions.push({ key: `bench-${editions.length}`, localDate: '2026-11-27', sections });
  }
  return editions;
}

/** `count` editions covering the odd cases real content brings (see the file comment). */
export function variedEditions(count: number, seed = 11): EditionContent[] {
  const rand = seededRandom(seed);
  let id = 1;
  const pool: Article[] = [];
  const remember = (a: Article) => (pool.push(a), a);
  return Array.from({ length: count }, (_, e) => {
    const localDate = `2026-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
    const oversized = rand() < 0.08;
    const topics = rand() < 0.05 ? 0 : 1 + Math.floor(rand() * 7);
    const used = new Set<number>();
    const sections: EditionSection[] = Array.from({ length: topics }, (_, t) => {
      const name = rand() < 0.4 ? pick(rand, ODD_TOPICS) : `Topic ${t + 1}`;
      // A rare empty section: the renderer must drop its heading.
      const articles = rand() < 0.05 ? 0 : 1 + Math.floor(rand() * 7);
      return {
        topic: { slug: `${name.toLowerCase().replace(/\s+/g, '-')}-${t}`, name },
        // Four in ten stories ran in an earlier edition too, as on any real day.
        articles: Array.from({ length: articles }, (_, a) => (pool.length > 0 && !oversized && rand() < 0.4 ? pick(rand, pool) : remember(variedArticle(rand, id++, oversized && a === 0)))).filter(
          (a) => !used.has(a.id) && used.add(a.id),
        ),
      };
    });
    const edLabel = label(rand, localDate);
    return { key: `varied-${e}`, localDate, sections, ...(edLabel ? { label: edLabel } : {}) };
  });
}

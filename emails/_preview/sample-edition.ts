import type { Article, NewArticle } from '../../src/model/article.js';
import type { EditionContent, EditionSection } from '../../src/model/edition.js';
import type { TopicInput } from '../../src/model/topic.js';

/**
 * Made-up but realistic sample news for previews and exports. Slugs match the default catalogue,
 * and every story here is also in samples/articles.json, the first-run seed (a test keeps the two
 * in step), so the dev preview and a fresh install show the same news. Image URLs are site-relative
 * (`/static/…`): the preview server serves `emails/static` there, and the edition renderer makes
 * them absolute against PUBLIC_URL.
 */

/** The sample topic catalogue, in section order. */
export const sampleTopics: TopicInput[] = [
  { slug: 'china', name: 'China', keywords: ['china', 'beijing', 'shanghai', 'yuan'] },
  { slug: 'taiwan', name: 'Taiwan', keywords: ['taiwan', 'taipei', 'kaohsiung'] },
  { slug: 'climate', name: 'Climate', keywords: ['climate', 'drought', 'emissions', 'heatwave'] },
  { slug: 'tech', name: 'Tech', keywords: ['chip', 'semiconductor', 'software', 'ai'] },
];

/** The sample articles; `publishedAt` is relative to nothing, so seeders may overwrite it. */
export const sampleArticles: NewArticle[] = [
  {
    key: 'sample:shanghai-port-volumes',
    url: 'https://news.example/business/shanghai-port-volumes',
    title: 'Shanghai port handles record container volumes as exporters race year-end orders',
    summary:
      'Throughput rose 9% on the year in October, the port authority said, as manufacturers front-loaded shipments ahead of new tariffs.',
    body: 'Shanghai’s container terminals handled a record number of boxes in October…',
    image: { url: '/static/harbour-skyline.png', caption: 'Cranes and towers along the Huangpu at dusk.', credit: 'Lin Wei' },
    source: 'Harbour Wire',
    publishedAt: '2026-11-26T06:10:00Z',
    topics: ['china'],
  },
  {
    key: 'sample:yuan-steady',
    url: 'https://news.example/markets/yuan-steady',
    title: 'Central bank holds the yuan steady despite weaker factory data',
    summary: 'The daily fixing was set slightly stronger than expected, a signal that Beijing wants calm before the December policy meeting.',
    body: 'The People’s Bank of China set its daily reference rate…',
    image: null,
    source: 'Markets Desk',
    publishedAt: '2026-11-26T02:30:00Z',
    topics: ['china'],
  },
  {
    key: 'sample:rail-link-opens',
    url: null,
    title: 'High-speed link cuts Chongqing–Kunming journey to under four hours',
    summary: 'The 700 km line opens to passengers on Monday after six years of tunnelling through mountainous terrain.',
    body: 'Passengers will be able to travel between the two cities…',
    image: null,
    source: null,
    publishedAt: '2026-11-25T21:00:00Z',
    topics: ['china'],
  },
  {
    key: 'sample:taipei-chip-exports',
    url: 'https://news.example/asia/taipei-chip-exports',
    title: 'Export orders jump 14% on demand for AI servers',
    summary: 'The economy ministry raised its full-year forecast after a fourth straight month of double-digit growth in electronics orders.',
    body: 'Export orders rose for a seventh month in a row…',
    image: { url: '/static/export-chart.png', caption: 'Monthly electronics export orders, 2026.', credit: null },
    source: 'Island Daily',
    publishedAt: '2026-11-26T04:45:00Z',
    topics: ['taiwan', 'tech'],
  },
  {
    key: 'sample:typhoon-drill',
    url: 'https://news.example/asia/typhoon-drill',
    title: 'Kaohsiung runs its largest typhoon drill in a decade',
    summary: 'More than 20,000 residents took part in the exercise, which tested new flood gates along the Love River.',
    body: 'Sirens sounded across Kaohsiung on Wednesday morning…',
    image: null,
    source: 'Island Daily',
    publishedAt: '2026-11-25T23:15:00Z',
    topics: ['taiwan', 'climate'],
  },
  {
    key: 'sample:drought-harvest',
    url: 'https://news.example/climate/drought-harvest',
    title: 'Second dry summer leaves farmers counting the cost of a thin harvest',
    summary: 'Wheat yields fell by almost a fifth in the worst-hit provinces; growers say irrigation reservoirs are still half empty.',
    body: 'For the second year running, the rains came late…',
    image: { url: '/static/dry-fields.png', caption: 'Parched fields at harvest time.', credit: 'Sara Moreno' },
    source: 'Climate Desk',
    publishedAt: '2026-11-26T05:00:00Z',
    topics: ['climate'],
  },
  {
    key: 'sample:emissions-report',
    url: 'https://news.example/climate/emissions-gap',
    title: 'UN report: pledges still leave a wide “emissions gap” for 2030',
    summary: 'Current national plans cut emissions by about 10% from 2019 levels, against the 42% the report says is needed for 1.5 °C.',
    body: 'The annual Emissions Gap Report found that…',
    image: null,
    source: 'Wire Desk',
    publishedAt: '2026-11-25T18:20:00Z',
    topics: ['climate'],
  },
  {
    key: 'sample:open-source-chip',
    url: 'https://news.example/tech/open-chip-design',
    title: 'Start-up tapes out an open-source RISC-V chip for cheap sensors',
    summary: 'The design files are published under a permissive licence, and the first 10,000 units go to university labs.',
    body: 'A small team of engineers has sent its first chip to the foundry…',
    image: null,
    source: 'Tech Notes',
    publishedAt: '2026-11-26T07:30:00Z',
    topics: ['tech'],
  },
  {
    key: 'sample:password-managers',
    url: 'https://news.example/tech/passkeys-rollout',
    title: 'Banks move to passkeys as password phishing climbs',
    summary: 'Three of the largest retail banks will let customers sign in with a passkey from January, and phase out SMS codes next year.',
    body: 'Phishing attacks that steal one-time codes have tripled…',
    image: null,
    source: 'Tech Notes',
    publishedAt: '2026-11-25T16:05:00Z',
    topics: ['tech'],
  },
];

/** The sample articles as stored rows: ids in list order, first seen when published. */
export const sampleStoredArticles: Article[] = sampleArticles.map((a, i) => ({
  ...a,
  id: i + 1,
  publishedAt: a.publishedAt ?? '2026-11-26T00:00:00Z',
  firstSeenAt: a.publishedAt ?? '2026-11-26T00:00:00Z',
}));

/** One section per sample topic, in catalogue order; an article tagged twice shows in its first topic only. */
export const sampleSections: EditionSection[] = (() => {
  const used = new Set<number>();
  return sampleTopics.map((t) => {
    const articles = sampleStoredArticles.filter((a) => a.topics.includes(t.slug) && !used.has(a.id));
    for (const a of articles) used.add(a.id);
    return { topic: { slug: t.slug, name: t.name }, articles };
  });
})();

/** A complete sample edition for 27 November 2026. */
export const sampleEdition: EditionContent = {
  key: 'sample-2026-11-27',
  localDate: '2026-11-27',
  sections: sampleSections,
};

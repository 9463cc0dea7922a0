import type { TopicInput } from '../model/topic.js';

/**
 * The newsroom topics a fresh install starts with. Keywords tag articles that arrive without
 * topics (scraped pages, most feeds); they match whole words, case-insensitively.
 */
export const DEFAULT_TOPICS: readonly TopicInput[] = [
  { slug: 'world', name: 'World', description: 'The biggest stories from around the globe.', keywords: ['United Nations', 'UN', 'summit', 'diplomacy', 'foreign minister', 'G20', 'NATO'] },
  { slug: 'asia', name: 'Asia', description: 'News from across Asia.', keywords: ['Asia', 'Asean', 'Japan', 'South Korea', 'India', 'Indonesia', 'Malaysia', 'Thailand', 'Vietnam', 'Philippines'] },
  { slug: 'singapore', name: 'Singapore', description: 'Politics, housing and life in Singapore.', keywords: ['Singapore', 'Singaporean', 'HDB', 'MRT', 'PAP'] },
  { slug: 'china', name: 'China', description: "Beijing's politics, economy and foreign policy.", keywords: ['China', 'Chinese', 'Beijing', 'Xi Jinping', 'Xi', 'Shanghai', 'CCP'] },
  { slug: 'us-politics', name: 'US politics', description: 'The White House, Congress and the courts.', keywords: ['Trump', 'Biden', 'White House', 'Congress', 'Senate', 'Republican', 'Democrat', 'Washington'] },
  { slug: 'ukraine-war', name: 'Ukraine war', description: "Russia's war in Ukraine and the search for peace.", keywords: ['Ukraine', 'Ukrainian', 'Kyiv', 'Zelensky', 'Kremlin', 'Putin', 'Donbas'] },
  { slug: 'taiwan', name: 'Taiwan', description: 'Taiwan and cross-strait relations.', keywords: ['Taiwan', 'Taiwanese', 'Taipei', 'cross-strait', 'one-China'] },
  { slug: 'business', name: 'Business', description: 'Markets, companies and the economy.', keywords: ['economy', 'market', 'markets', 'stocks', 'shares', 'inflation', 'central bank', 'trade', 'earnings', 'oil'] },
  { slug: 'tech', name: 'Tech', description: 'Technology, AI and the companies behind them.', keywords: ['technology', 'AI', 'artificial intelligence', 'chip', 'chips', 'semiconductor', 'TikTok', 'startup', 'software'] },
  { slug: 'climate', name: 'Climate', description: 'Climate change, energy and the environment.', keywords: ['climate', 'emissions', 'carbon', 'renewable', 'heatwave', 'flood', 'net zero', 'solar'] },
  { slug: 'sport', name: 'Sport', description: 'Football, tennis, the Olympics and more.', keywords: ['football', 'tennis', 'Olympics', 'Olympic', 'match', 'league', 'championship', 'World Cup'] },
  { slug: 'opinion', name: 'Opinion', description: 'Columns and commentary.', keywords: ['opinion', 'commentary', 'column', 'editorial'] },
];

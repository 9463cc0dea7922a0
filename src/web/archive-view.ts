import { captionLine } from '../../emails/_components/caption.js';
import { formatLongDate, isCalendarDate } from '../../emails/_components/format-date.js';
import { storyMeta } from '../../emails/_components/story-meta.js';
import type { Article } from '../model/article.js';
import type { Topic } from '../model/topic.js';
import { safeHttpUrl } from '../render/prepare-content.js';
import type { EditionSummary, StoredEdition } from '../store/edition-repository.js';

/**
 * What the archive pages show of an edition: its stories grouped under the edition's topics, as
 * plain data for the page templates (which escape it). Built from the stored articles, not the
 * email HTML, so the page has the site's layout and none of the email-only parts.
 */

/** One story on an archive page. */
export interface ArchiveStory {
  title: string;
  href: string | null;
  summary: string | null;
  meta: string;
  image: { src: string; caption: string | null } | null;
}

/** An edition page's data. */
export interface ArchiveEditionView {
  dateLabel: string;
  subject: string;
  sections: Array<{ slug: string; name: string; anchor: string; count: number; stories: ArchiveStory[] }>;
}

/** "Friday 27 November 2026", or the raw date if it is not one. */
export function editionDateLabel(localDate: string): string {
  return isCalendarDate(localDate) ? formatLongDate(localDate) : localDate;
}

/**
 * Groups an edition's articles under its topics in section order; each article appears once,
 * under the first of the edition's topics it carries (as the planner placed it).
 */
export function archiveEditionView(edition: StoredEdition, articles: Article[], catalogue: Topic[], publicUrl: string): ArchiveEditionView {
  const names = new Map(catalogue.map((t) => [t.slug, t.name]));
  const byId = new Map(articles.map((a) => [a.id, a]));
  // A story its publisher withdrew leaves the archive too, not only future digests.
  const ordered = edition.articleIds.map((id) => byId.get(id)).filter((a): a is Article => a !== undefined && !a.withdrawnAt);
  const placed = new Set<number>();
  const sections = edition.topics.map((slug) => {
    const stories = ordered.filter((a) => !placed.has(a.id) && a.topics.includes(slug));
    for (const a of stories) placed.add(a.id);
    return { slug, name: names.get(slug) ?? slug, anchor: `topic-${slug}`, count: stories.length, stories: stories.map((a) => story(a, publicUrl)) };
  });
  return { dateLabel: editionDateLabel(edition.localDate), subject: edition.subject, sections: sections.filter((x) => x.count > 0) };
}

function story(a: Article, publicUrl: string): ArchiveStory {
  const src = a.image ? safeHttpUrl(a.image.url, publicUrl) : null;
  return {
    title: a.title,
    href: a.url && URL.canParse(a.url) ? safeHttpUrl(a.url, publicUrl) : null,
    summary: a.summary,
    meta: storyMeta(a),
    image: src && a.image ? { src, caption: captionLine(a.image) } : null,
  };
}

/** The Atom feed of sent editions, newest first. Text is XML-escaped here. */
export function atomFeed(editions: EditionSummary[], options: { publicUrl: string; siteName: string; topicName: (slug: string) => string }): string {
  const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const base = options.publicUrl;
  const stamp = (localDate: string) => `${localDate}T00:00:00Z`;
  const updated = editions[0] ? stamp(editions[0].localDate) : '1970-01-01T00:00:00Z';
  const entries = editions.map((e) => {
    const url = `${base}/archive/${encodeURIComponent(e.key)}`;
    const topics = e.topics.map(options.topicName).join(', ');
    return `  <entry>\n    <id>${esc(url)}</id>\n    <title>${esc(e.subject)}</title>\n    <link rel="alternate" type="text/html" href="${esc(url)}"/>\n    <updated>${stamp(e.localDate)}</updated>\n    <summary>${esc(`${editionDateLabel(e.localDate)}: ${topics}`)}</summary>\n  </entry>`;
  });
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n  <id>${esc(`${base}/archive`)}</id>\n  <title>${esc(`${options.siteName} archive`)}</title>\n` +
    `  <link rel="self" type="application/atom+xml" href="${esc(`${base}/archive/feed.xml`)}"/>\n  <link rel="alternate" type="text/html" href="${esc(`${base}/archive`)}"/>\n` +
    `  <updated>${updated}</updated>\n  <author><name>${esc(options.siteName)}</name></author>\n${entries.join('\n')}\n</feed>\n`
  );
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import { createKeywordTagger } from '../../ingest/keyword-tagger.js';
import { tagCheck, type TopicRules } from '../../ingest/tag-check.js';
import type { Article } from '../../model/article.js';
import type { Topic } from '../../model/topic.js';
import { TOPIC_LIMITS, validateTopicEdit } from '../../topics/topic-file.js';
import { asForm, field, type FormBody } from '../form.js';
import type { RouteContext } from '../web-context.js';
import { sendAdminPage } from './admin-page.js';

/** The services this route group uses. */
type Ctx = RouteContext<'logger', 'articles' | 'topics' | 'transaction'>;

/**
 * `/admin/topics`: the catalogue with follower counts, and each topic's name, description and
 * keyword rules, checked by the same rules as a topic file. "Preview" and "Save" both run a
 * "what would this tag" check over the last {@link CHECK_SIZE} articles (old rules against new).
 * Saving never retags stored articles by itself: the rules apply to articles imported from then
 * on, and the saved page offers "Apply to these N articles" for the listed ones. The slug never
 * changes: readers' preferences, archive links and feeds follow it.
 */

/** How many of the newest articles the tag check reads. */
export const CHECK_SIZE = 200;

interface SlugParams {
  slug: string;
}

/** The form's fields as typed, shown again when there is something to fix. */
interface TopicForm {
  name: string;
  description: string;
  keywords: string;
}

/** What a topic page shows besides the form. */
interface TopicPageState {
  status?: number;
  errors?: string[];
  check?: { rules: TopicRules; previous: TopicRules; saved: boolean };
  notice?: string;
}

/** Keywords are typed one per line; blank lines and repeats (any case) are dropped. */
function keywordLines(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/\r?\n/)
    .map((k) => k.trim())
    .filter((k) => k !== '' && !seen.has(k.toLowerCase()) && seen.add(k.toLowerCase()));
}

/** The shared validator's messages, worded for the form ("Keyword 3 …" rather than "keywords.2"). */
function formProblems(problems: string[], keywords: string[]): string[] {
  return problems.map((p) => {
    const m = /^keywords\.(\d+): (.*)$/.exec(p);
    if (m) return `Keyword ${Number(m[1]) + 1} ("${(keywords[Number(m[1])] ?? '').slice(0, 40)}"): ${m[2]}`;
    if (p.startsWith('keywords: ')) return `Keywords: ${p.slice(10)}`;
    return p.charAt(0).toUpperCase() + p.slice(1);
  });
}

const formOf = (t: Topic): TopicForm => ({ name: t.name, description: t.description ?? '', keywords: t.keywords.join('\n') });

/** Article rows for the diff tables. */
function diffRows(articles: Article[], slug: string) {
  return articles.map((a) => ({ id: a.id, title: a.title, source: a.source, publishedAt: a.publishedAt, tagged: a.topics.includes(slug), fixed: Boolean(a.topicsFixedAt) }));
}

/** Registers the topic pages and actions (inside the signed-in scope). */
export function registerAdminTopics(scope: FastifyInstance, ctx: Ctx): void {
  const { app } = ctx;
  const findTopic = async (slug: string) => (await app.store.topics.list()).find((t) => t.slug === slug);

  scope.get('/admin/topics', async (request, reply) => {
    const [topics, followers] = await Promise.all([app.store.topics.list(), app.store.topics.followerCounts()]);
    const rows = topics.map((t) => ({ ...t, followers: followers.get(t.slug) ?? 0, keywordCount: t.keywords.length }));
    return sendAdminPage(ctx, reply, request.admin, { name: 'admin-topics', title: 'Topics', data: { topics: rows } });
  });

  /** Renders a topic's page: the form (as typed, or as stored), any errors, and any tag check. */
  const show = async (reply: FastifyReply, admin: string, topic: Topic, form: TopicForm, state: TopicPageState = {}) => {
    let check;
    if (state.check) {
      const recent = await app.store.articles.recent({ limit: CHECK_SIZE });
      const r = tagCheck(recent, state.check.previous, state.check.rules);
      const applyAdd = r.added.filter((a) => !a.topics.includes(topic.slug) && !a.topicsFixedAt).map((a) => a.id);
      const applyRemove = r.removed.filter((a) => a.topics.includes(topic.slug) && !a.topicsFixedAt).map((a) => a.id);
      check = {
        ...r,
        saved: state.check.saved,
        added: diffRows(r.added, topic.slug),
        removed: diffRows(r.removed, topic.slug),
        unchanged: r.added.length === 0 && r.removed.length === 0,
        applyCount: applyAdd.length + applyRemove.length,
        applyAdd: applyAdd.join(','),
        applyRemove: applyRemove.join(','),
      };
    }
    return sendAdminPage(ctx, reply, admin, {
      name: 'admin-topic',
      title: `Topic: ${topic.name}`,
      status: state.status ?? 200,
      data: { topic, form, limits: TOPIC_LIMITS, checkSize: CHECK_SIZE, errors: state.errors ?? [], check, notice: state.notice },
    });
  };

  scope.get<{ Params: SlugParams }>('/admin/topics/:slug', async (request, reply) => {
    const topic = await findTopic(request.params.slug);
    if (!topic) return reply.callNotFound();
    return show(reply, request.admin, topic, formOf(topic));
  });

  scope.post<{ Params: SlugParams }>('/admin/topics/:slug', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const topic = await findTopic(request.params.slug);
    if (!topic) return reply.callNotFound();
    const body: FormBody = asForm(request.body);
    const form: TopicForm = { name: field(body, 'name'), description: field(body, 'description'), keywords: field(body, 'keywords') };
    const keywords = keywordLines(form.keywords);
    const checked = validateTopicEdit(topic.slug, { name: form.name, description: form.description, keywords });
    if ('problems' in checked) return show(reply, request.admin, topic, form, { status: 400, errors: formProblems(checked.problems, keywords) });
    const rules: TopicRules = { slug: topic.slug, name: checked.topic.name, keywords: checked.topic.keywords ?? [] };
    if (field(body, 'action') !== 'save') return show(reply, request.admin, topic, form, { check: { rules, previous: topic, saved: false } });
    await app.store.transaction((tx) => tx.topics.upsert([checked.topic], new Date().toISOString()));
    app.logger.info('topic edited from the console', { admin: request.admin, topic: topic.slug, keywords: rules.keywords.length });
    const saved = (await findTopic(topic.slug)) ?? topic;
    return show(reply, request.admin, saved, formOf(saved), { check: { rules, previous: topic, saved: true }, notice: 'Saved. The new rules tag articles imported from now on.' });
  });

  scope.post<{ Params: SlugParams }>('/admin/topics/:slug/apply', { preHandler: ctx.csrfProtection }, async (request, reply) => {
    const topic = await findTopic(request.params.slug);
    if (!topic) return reply.callNotFound();
    const body = asForm(request.body);
    const ids = (name: string) => [...new Set(field(body, name).split(',').filter((s) => /^\d{1,15}$/.test(s)).map(Number))].slice(0, CHECK_SIZE);
    // Re-decided under the rules stored now, so a stale page (or a forged list) can only ever
    // apply what the current rules say about those articles.
    const tagger = createKeywordTagger([topic]);
    const [toAdd, toRemove] = await Promise.all([app.store.articles.byIds(ids('add')), app.store.articles.byIds(ids('remove'))]);
    const result = await app.store.transaction((tx) =>
      tx.articles.retagTopic(
        topic.slug,
        toAdd.filter((a) => tagger.tag(a).length > 0).map((a) => a.id),
        toRemove.filter((a) => tagger.tag(a).length === 0).map((a) => a.id),
      ),
    );
    app.logger.info('topic rules applied to stored articles from the console', { admin: request.admin, topic: topic.slug, ...result });
    const notice = `Applied: "${topic.name}" added to ${result.added} article(s) and taken off ${result.removed}. Articles whose topics were fixed by hand were left alone.`;
    return show(reply, request.admin, topic, formOf(topic), { notice });
  });
}

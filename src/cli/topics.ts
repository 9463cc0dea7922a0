import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { lazyModule } from './lazy.js';

const loadTopicFile = lazyModule(() => import('../topics/topic-file.js'));

/** `topic-digest topics …` commands. */
export function registerTopicCommands(program: Command, ctx: CliContext): void {
  const topics = program.command('topics').description('the topic catalogue readers choose from');

  topics
    .command('import')
    .description('add or update topics from a JSON file ([{slug, name, description?, keywords?}] or {topics: [...]})')
    .argument('<file>', 'the topic file')
    .action(async (file: string) => {
      const [store, { importTopicFile }] = await Promise.all([ctx.store(), loadTopicFile()]);
      const { added, updated } = await importTopicFile(store, file, new Date());
      ctx.print(`${file}: ${added} added, ${updated} updated`);
    });

  topics
    .command('list')
    .description('show the catalogue in display order')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const store = await ctx.store();
      const list = await store.topics.list();
      if (options.json) {
        ctx.print(JSON.stringify(list.map(({ slug, name, description, keywords, position }) => ({ slug, name, description, keywords, position })), null, 2));
        return;
      }
      if (list.length === 0) {
        ctx.print('no topics yet; add some with `topic-digest topics import <file.json>`');
        return;
      }
      const width = Math.max(...list.map((t) => t.slug.length));
      for (const t of list) {
        const keywords = t.keywords.length > 0 ? `  [${t.keywords.join(', ')}]` : '';
        ctx.print(`${t.slug.padEnd(width)}  ${t.name}${keywords}`);
      }
    });
}

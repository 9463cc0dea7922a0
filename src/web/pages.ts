import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { AppError } from '../errors.js';
import { packagePath } from '../paths.js';

/**
 * The HTML pages: Handlebars templates in `templates/pages/`, each wrapped in `layout.hbs`, with
 * partials from `templates/pages/partials/`. Everything is compiled once at boot so a broken
 * template stops the server from starting instead of failing one visitor later. `{{…}}` escapes,
 * so user text is safe by default; templates never use `{{{…}}}` except for the layout's body.
 */

/** Where page templates live by default. */
export const PAGES_DIR = packagePath('templates', 'pages');

/** Where the pages' own CSS and script live. */
export const ASSETS_DIR = join(PAGES_DIR, 'assets');

/** What every page gets besides its own data. */
export interface PageFrame {
  /** The <title> and the main heading's text. */
  title: string;
  /** The site name shown in the header. */
  siteName: string;
}

/** Renders named pages to complete HTML documents. */
export interface Pages {
  /** Renders `templates/pages/<name>.hbs` inside the layout. Throws for an unknown name. */
  render(name: string, frame: PageFrame, data?: object): string;
  /** The page names that were compiled. */
  readonly names: readonly string[];
}

/** Compiles every page, the layout and the partials in `dir`. */
export function compilePages(dir: string = PAGES_DIR): Pages {
  const hbs = Handlebars.create();
  const files = readdirSync(dir).filter((f) => f.endsWith('.hbs'));
  const partialsDir = join(dir, 'partials');
  for (const f of safeList(partialsDir)) {
    hbs.registerPartial(basename(f, '.hbs'), readFileSync(join(partialsDir, f), 'utf8'));
  }
  const compileFile = (file: string) => {
    try {
      const template = hbs.compile(readFileSync(join(dir, file), 'utf8'), { strict: false, noEscape: false });
      // Force compilation now, not on first use, so syntax errors surface at boot.
      template({});
      return template;
    } catch (cause) {
      throw new AppError('INTERNAL', `page template ${file} does not compile`, { cause });
    }
  };
  if (!files.includes('layout.hbs')) throw new AppError('INTERNAL', `no layout.hbs in ${dir}`);
  const layout = compileFile('layout.hbs');
  const pages = new Map<string, HandlebarsTemplateDelegate>();
  for (const f of files) if (f !== 'layout.hbs') pages.set(basename(f, '.hbs'), compileFile(f));
  return {
    names: [...pages.keys()],
    render(name, frame, data = {}) {
      const page = pages.get(name);
      if (!page) throw new AppError('INTERNAL', `no page template named ${name}`);
      const context = { ...frame, ...data };
      return layout({ ...context, body: page(context) });
    },
  };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.hbs'));
  } catch {
    return [];
  }
}

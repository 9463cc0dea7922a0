import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { AppError } from '../errors.js';
import { packagePath } from '../paths.js';
import { singleLine } from './escape.js';

/**
 * The Handlebars templates for subjects and plain-text parts, each read and compiled once per
 * process on first use. A private Handlebars instance keeps our settings away from other users
 * of the global one (the web pages).
 */

const handlebars = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();
const templatesDir = packagePath('templates');

/** A template name under `templates/`, without the `.hbs` extension. */
export type TextTemplateName =
  | 'digest-subject'
  | 'digest.txt'
  | 'confirm-subject'
  | 'confirm.txt'
  | 'welcome-subject'
  | 'welcome.txt'
  | 'already-subscribed-subject'
  | 'already-subscribed.txt';

function compiled(name: TextTemplateName): Handlebars.TemplateDelegate {
  let template = cache.get(name);
  if (!template) {
    let source: string;
    try {
      source = readFileSync(join(templatesDir, `${name}.hbs`), 'utf8');
    } catch (cause) {
      throw new AppError('RENDER_FAILED', `cannot read template templates/${name}.hbs`, {
        cause,
        hint: 'the templates/ folder ships with the app; reinstall or restore it',
      });
    }
    // noEscape: this output is plain text, where an entity like &amp; would be a visible bug.
    // The templates use {{{ }}} anyway; this makes a stray {{ }} harmless too.
    template = handlebars.compile(source, { noEscape: true, strict: false });
    cache.set(name, template);
  }
  return template;
}

/** Renders a plain-text template; the result keeps its line breaks and ends with one newline. */
export function renderText(name: TextTemplateName, data: object): string {
  return `${runTemplate(name, data).replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Renders a subject template as one line with no CR/LF, ready for a header. */
export function renderSubject(name: TextTemplateName, data: object): string {
  return singleLine(runTemplate(name, data));
}

function runTemplate(name: TextTemplateName, data: object): string {
  try {
    return compiled(name)(data);
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('RENDER_FAILED', `template templates/${name}.hbs failed to render`, { cause });
  }
}

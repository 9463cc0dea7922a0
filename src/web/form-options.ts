import type { Topic } from '../model/topic.js';

/** Re-exported: the subscription emails and the pages name topics the same way. */
export { topicNames } from '../model/topic.js';

/**
 * The choices the signup and preferences forms offer: topic checkboxes and time zones. Built
 * here so the templates stay free of logic.
 */

/** One topic checkbox. */
export interface TopicOption {
  slug: string;
  name: string;
  description: string | null;
  checked: boolean;
}

/** One time-zone option. */
export interface TimezoneOption {
  value: string;
  selected: boolean;
}

/** Checkboxes for the catalogue, ticked where `chosen` has the slug. */
export function topicOptions(catalogue: readonly Topic[], chosen: readonly string[]): TopicOption[] {
  const set = new Set(chosen);
  return catalogue.map((t) => ({ slug: t.slug, name: t.name, description: t.description, checked: set.has(t.slug) }));
}

let zones: readonly string[] | undefined;

/** Every IANA zone the runtime knows, plus UTC (which some runtimes leave out of the list). */
export function knownTimeZones(): readonly string[] {
  zones ??= Object.freeze([...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])].sort());
  return zones;
}

/** The select's options with `selected` marked; a valid zone the list lacks is added so it is kept. */
export function timezoneOptions(selected: string): TimezoneOption[] {
  const list = knownTimeZones().includes(selected) ? knownTimeZones() : [...knownTimeZones(), selected].sort();
  return list.map((value) => ({ value, selected: value === selected }));
}


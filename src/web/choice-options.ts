import type { ReaderChoices } from '../model/subscriber.js';
import { WEEKDAYS } from '../model/subscriber.js';
import { FREQUENCIES, SEND_TIMES } from '../subscriptions/choices.js';

/**
 * The frequency, weekday and send-time controls of the signup and preferences forms, built here
 * so the templates stay free of logic. Values echo what the visitor typed when a form is re-shown.
 */

/** What the form shows: stored choices, or the raw strings a rejected form held. */
export interface ShownChoices {
  frequency: string;
  weekday: string;
  sendTime: string;
}

const FREQUENCY_LABELS: Record<string, string> = { daily: 'Every day', weekdays: 'Monday to Friday', weekly: 'Once a week' };

/** Stored choices as form values. */
export function shownChoices(choices: ReaderChoices): ShownChoices {
  return { frequency: choices.frequency, weekday: choices.weekday ?? '', sendTime: choices.sendTime ?? '' };
}

/** Template data for the choice controls, with per-field errors. */
export function choiceOptions(shown: ShownChoices, defaultSendTime: string, errors: { frequency?: string; weekday?: string; sendTime?: string } = {}) {
  const frequency = shown.frequency || 'daily';
  return {
    frequencies: FREQUENCIES.map((value) => ({ value, label: FREQUENCY_LABELS[value], checked: value === frequency })),
    weekdays: [...WEEKDAYS.slice(1), WEEKDAYS[0]].map((value) => ({ value, label: value[0]!.toUpperCase() + value.slice(1), selected: value === (shown.weekday || 'monday') })),
    sendTimes: [{ value: '', label: `${defaultSendTime} (usual time)`, selected: shown.sendTime === '' }, ...SEND_TIMES.map((value) => ({ value, label: value, selected: value === shown.sendTime }))],
    frequencyError: errors.frequency,
    weekdayError: errors.weekday,
    sendTimeError: errors.sendTime,
  };
}

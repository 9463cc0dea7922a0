import { providerReport, str, type ProviderEvent } from './provider-event.js';

/**
 * Postmark bounce and spam-complaint webhooks (authenticated with basic auth in the URL).
 * Postmark's bounce `Type` names (HardBounce, SoftBounce, SpamComplaint…) decide the class.
 */

const HARD = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
const SOFT = new Set(['SoftBounce', 'Transient', 'DnsError', 'MailFrontier']);
const COMPLAINT = new Set(['SpamComplaint']);

/** The event in one Postmark webhook body, or undefined when it is not a Postmark bounce/complaint shape. */
export function postmarkEvent(body: unknown): ProviderEvent | undefined {
  const recordType = str(body, 'RecordType');
  const id = str(body, 'ID');
  if (!recordType || !id) return undefined;
  const type = str(body, 'Type') ?? recordType;
  const kind = COMPLAINT.has(type) || recordType === 'SpamComplaint' ? 'complaint' : HARD.has(type) ? 'hard' : SOFT.has(type) ? 'soft' : 'ignored';
  const what = [str(body, 'Description'), str(body, 'Details')].filter(Boolean).join(' — ');
  const summary = kind === 'ignored' ? `Postmark ${recordType} of type ${type} is not a bounce or complaint` : `Postmark ${type}${what ? `: ${what}` : ''}`;
  return {
    eventId: `${recordType}:${id}`,
    report: providerReport('postmark', kind, summary, { recipient: str(body, 'Email'), date: str(body, 'BouncedAt') }),
  };
}

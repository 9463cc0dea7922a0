import type { SignupValues } from '../subscriptions/form-checks.js';
import { field, fieldList, type FormBody } from './form.js';

/**
 * Reading the signup form into the values the subscription service checks (see
 * subscriptions/form-checks.ts); the rules themselves live there, not here.
 */

/** The signup form's fields, bounded so a huge post cannot be echoed back in full. */
export function readSignupForm(form: FormBody): SignupValues {
  return {
    email: field(form, 'email').slice(0, 320),
    name: field(form, 'name').slice(0, 300),
    topics: fieldList(form, 'topics'),
    timezone: field(form, 'timezone'),
    frequency: field(form, 'frequency'),
    weekday: field(form, 'weekday'),
    sendTime: field(form, 'send_time'),
  };
}

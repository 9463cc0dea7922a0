import { createElement, type ComponentType } from 'react';
import { render } from '@react-email/render';
import AlreadySubscribedEmail, { type AlreadySubscribedEmailProps } from '../../emails/AlreadySubscribedEmail.js';
import ConfirmEmail, { type ConfirmEmailProps } from '../../emails/ConfirmEmail.js';
import WelcomeEmail, { type WelcomeEmailProps } from '../../emails/WelcomeEmail.js';
import { listWords } from '../../emails/_components/list-words.js';
import { withOutlookWrappers } from '../../emails/_components/outlook.js';
import { AppError } from '../errors.js';
import type { MessageParts } from '../model/edition.js';
import { renderSubject, renderText, type TextTemplateName } from './text-templates.js';

/**
 * Subscription emails. Unlike the digest they go to one reader at a time, so they take real
 * values as props and need no token pass.
 */

/** Values for the double opt-in email: the template's own props, all required here. */
export type ConfirmEmailInput = ConfirmEmailProps;

/** Values for the welcome email. */
export type WelcomeEmailInput = WelcomeEmailProps;

/** Values for the "you're already subscribed" email. */
export type AlreadySubscribedEmailInput = AlreadySubscribedEmailProps;

/** Renders the double opt-in email. */
export function renderConfirmEmail(p: ConfirmEmailInput): Promise<MessageParts> {
  return renderMessage(ConfirmEmail, p, 'confirm', { ...p, topicList: listWords(p.topicNames) });
}

/** Renders the welcome email sent after confirmation. */
export function renderWelcomeEmail(p: WelcomeEmailInput): Promise<MessageParts> {
  return renderMessage(WelcomeEmail, p, 'welcome', { ...p, topicList: listWords(p.topicNames) });
}

/** Renders the email that tells an active reader they are already subscribed. */
export function renderAlreadySubscribedEmail(p: AlreadySubscribedEmailInput): Promise<MessageParts> {
  return renderMessage(AlreadySubscribedEmail, p, 'already-subscribed', p);
}

async function renderMessage<P extends object>(
  component: ComponentType<Partial<P>>,
  props: P,
  name: 'confirm' | 'welcome' | 'already-subscribed',
  textData: object,
): Promise<MessageParts> {
  let html: string;
  try {
    html = withOutlookWrappers(await render(createElement(component, props)));
  } catch (cause) {
    throw new AppError('RENDER_FAILED', `could not render the ${name} email`, { cause });
  }
  return {
    subject: renderSubject(`${name}-subject` as TextTemplateName, textData),
    html,
    text: renderText(`${name}.txt` as TextTemplateName, textData),
  };
}

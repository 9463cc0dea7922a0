import type { ReactNode } from 'react';
import { Body } from '@react-email/body';
import { Container } from '@react-email/container';
import { Head } from '@react-email/head';
import { Html } from '@react-email/html';
import { Preview } from '@react-email/preview';
import { cls, emailCss, s } from './styles.js';

/** Props of {@link EmailLayout}. */
export interface EmailLayoutProps {
  /** The document title (some clients and every browser show it). */
  title: string;
  /** Inbox preheader: the line clients show after the subject (react-email pads it). */
  preview: string;
  /** Language of the content. */
  lang?: string;
  children: ReactNode;
}

/**
 * The page shell every email shares: html/head/body with a title and language, dark-mode and
 * mobile styles, the padded preheader and the 600 px column (held in Outlook by an MSO table:
 * see outlook.ts).
 */
export function EmailLayout({ title, preview, lang = 'en', children }: EmailLayoutProps) {
  return (
    <Html lang={lang} dir="ltr">
      <Head>
        <title>{title}</title>
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <meta name="x-apple-disable-message-reformatting" />
        <style dangerouslySetInnerHTML={{ __html: emailCss() }} />
      </Head>
      <Body style={s.body} className={cls.page}>
        <Preview>{preview}</Preview>
        {/* The landmark screen readers jump to; a div, because some webmail clients drop <main>. */}
        <div role="main" aria-label={title}>
          <i data-mso-open="600" />
          <Container style={s.container} className={cls.paper}>
            {children}
          </Container>
          <i data-mso-close="" />
        </div>
      </Body>
    </Html>
  );
}

import type { ReactNode } from 'react';
import { Body, Container, Head, Html, Preview } from '@react-email/components';
import { s } from './styles.js';

/** Props of {@link EmailLayout}. */
export interface EmailLayoutProps {
  /** Inbox preheader: the line clients show after the subject. */
  preview: string;
  children: ReactNode;
}

/** The page shell every email shares: html/head/body, preheader and the 600 px column. */
export function EmailLayout({ preview, children }: EmailLayoutProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <meta name="color-scheme" content="light" />
        <meta name="supported-color-schemes" content="light" />
      </Head>
      <Preview>{preview}</Preview>
      <Body style={s.body}>
        <Container style={s.container}>{children}</Container>
      </Body>
    </Html>
  );
}

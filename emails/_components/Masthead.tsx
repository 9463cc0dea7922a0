import { Hr, Text } from '@react-email/components';
import { s } from './styles.js';

/** Props of {@link Masthead}. */
export interface MastheadProps {
  senderName: string;
  /** A second line under the name, e.g. the edition date. */
  tagline?: string | null;
}

/** The sender's name set like a newspaper title, with an optional dateline. */
export function Masthead({ senderName, tagline = null }: MastheadProps) {
  return (
    <>
      <Text style={s.mastheadName}>{senderName}</Text>
      {tagline ? <Text style={s.mastheadDate}>{tagline}</Text> : null}
      <Hr style={s.heavyRule} />
    </>
  );
}

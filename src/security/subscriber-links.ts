import type { Subscriber } from '../model/subscriber.js';
import { signToken } from './tokens.js';

/** The personal links every email and page builds for a reader. */
export interface SubscriberLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
}

/** Builds signed personal URLs under PUBLIC_URL. Unsubscribe links never expire (RFC 8058 and Gmail expect them to keep working). */
export class LinkBuilder {
  constructor(
    private readonly publicUrl: string,
    private readonly secret: string,
  ) {}

  /** Unsubscribe and preferences links for a reader. */
  forSubscriber(s: Pick<Subscriber, 'publicId' | 'signingKey'>): SubscriberLinks {
    return {
      unsubscribeUrl: `${this.publicUrl}/unsubscribe/${signToken(this.secret, s.signingKey, { purpose: 'unsubscribe', publicId: s.publicId })}`,
      preferencesUrl: `${this.publicUrl}/preferences/${signToken(this.secret, s.signingKey, { purpose: 'preferences', publicId: s.publicId })}`,
    };
  }

  /** A double opt-in link that expires after `ttlHours`. */
  confirmUrl(s: Pick<Subscriber, 'publicId' | 'signingKey'>, ttlHours: number, now: Date = new Date()): string {
    const expiresAt = Math.floor(now.getTime() / 1000 + ttlHours * 3600);
    return `${this.publicUrl}/confirm/${signToken(this.secret, s.signingKey, { purpose: 'confirm', publicId: s.publicId, expiresAt })}`;
  }

  /** The public web-archive URL of an edition. */
  archiveUrl(editionKey: string): string {
    return `${this.publicUrl}/archive/${encodeURIComponent(editionKey)}`;
  }

  /** The public archive's index page. */
  archiveIndexUrl(): string {
    return `${this.publicUrl}/archive`;
  }

  /** The signup page. */
  signupUrl(): string {
    return `${this.publicUrl}/`;
  }
}

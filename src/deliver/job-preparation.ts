import type { MessageParts, PersonalValues } from '../model/edition.js';
import type { LinkBuilder } from '../security/subscriber-links.js';
import type { DeliveryJob } from '../store/delivery-ledger.js';
import type { EditionRepository } from '../store/edition-repository.js';
import { digestAddressing, digestTransmission, type DigestAddressing } from './digest-message.js';
import { EditionCache } from './edition-cache.js';
import { newMessageId } from './headers.js';
import type { Mailer, SendReceipt } from './mailer.js';
import type { EncodedEdition } from './mime/encoded-edition.js';

/** Fills one rendered edition for one reader; built once per edition, called once per reader. */
export type Personaliser = (values: PersonalValues) => MessageParts;

/** One attempt's message, ready to hand to SMTP. */
export interface Transmission {
  messageId: string;
  transmit: () => Promise<SendReceipt>;
  /** When it was made (`Date.now()`): its Date header and DKIM `t=` say so. */
  madeAt: number;
}

/** An edition as the sender uses it: compiled for built messages, encoded for spliced ones. */
export interface PreparedEdition {
  personalise: Personaliser;
  /** Encoded once when the mailer takes spliced bytes. */
  encoded?: EncodedEdition;
}

/** What a job needs for its attempts, made before its claim. */
export interface Prepared {
  ed: PreparedEdition;
  addressing: DigestAddressing;
  /** The first attempt's message, unless preparing it ahead failed. */
  first: Transmission | undefined;
}

/** What preparing needs: the editions, the mailer (which encodes and seals), the links. */
export interface PreparationDeps {
  editions: Pick<EditionRepository, 'get'>;
  mailer: Mailer;
  links: LinkBuilder;
  compilePersonaliser: (parts: MessageParts) => Personaliser;
}

/** The list and sender settings every message carries. */
export interface PreparationSettings {
  listId: string;
  /** The From address; Message-IDs are minted on its domain. */
  fromAddress: string;
  unsubscribeMailto?: string;
  /** The envelope sender for one delivery (VERP); absent keeps the From address. */
  envelopeFrom?: (deliveryId: number) => string;
}

/**
 * Makes each job's message ready before its claim: the edition loaded (cached, since claims come
 * edition by edition), the reader's links and headers, the message spliced and sealed (signed).
 * The send loop runs this for a worker's next job while its current message is in flight.
 */
export class JobPreparer {
  private readonly editions: EditionCache<PreparedEdition | undefined>;

  constructor(
    private readonly deps: PreparationDeps,
    private readonly settings: PreparationSettings,
  ) {
    this.editions = new EditionCache((key) => this.loadEdition(key));
  }

  /** A job's edition, addressing and first transmission; undefined when its edition is gone from the store. */
  async prepare(job: DeliveryJob): Promise<Prepared | undefined> {
    const ed = await this.editions.get(job.editionKey);
    if (!ed) return undefined;
    const { listId, unsubscribeMailto } = this.settings;
    const addressing = digestAddressing(
      { id: job.subscriberId, publicId: job.publicId, email: job.email, name: job.name, signingKey: job.signingKey },
      job.editionKey,
      this.deps.links,
      { listId, ...(unsubscribeMailto ? { unsubscribeMailto } : {}) },
      job.id,
    );
    // A preparation that failed (say, the SMTP thread stopped while signing) is made again at the
    // attempt, so a lasting fault (a message that cannot be built) throws there, as it always did.
    return { ed, addressing, first: await this.transmission(job, ed, addressing).catch(() => undefined) };
  }

  /** One attempt's message under a fresh Message-ID. Built before the claim: a message that cannot be built never leaves a row uncertain. */
  async transmission(job: DeliveryJob, ed: PreparedEdition, addressing: DigestAddressing): Promise<Transmission> {
    const messageId = newMessageId(this.settings.fromAddress);
    const madeAt = Date.now();
    return { messageId, madeAt, transmit: await digestTransmission(this.deps.mailer, ed, addressing, messageId, this.settings.envelopeFrom?.(job.id)) };
  }

  private async loadEdition(key: string): Promise<PreparedEdition | undefined> {
    const e = await this.deps.editions.get(key);
    const encoder = this.deps.mailer.encoded;
    return e && { personalise: this.deps.compilePersonaliser(e), ...(encoder ? { encoded: encoder.encodeEdition(e) } : {}) };
  }
}

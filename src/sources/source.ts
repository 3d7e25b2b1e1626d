/**
 * What a source is: one definition per monitor, exported by its folder and listed once in `./index.ts`.
 * Everything that varies between monitors lives here (name, body formats, signature, settings, parsing);
 * the webhook route, the configuration and the fixture tests are derived from the list.
 */
import type { z } from 'zod';
import type { Alert } from '../domain/alert';

/** How a body is read before the adapter sees it (src/http/webhook-body.ts). */
export type BodyFormat =
  /** `application/json` and `application/*+json`. */
  | 'json'
  /** `application/x-www-form-urlencoded`: the fields as a plain object of strings. */
  | 'form'
  /** `text/plain` holding JSON (Amazon SNS sends its JSON so). */
  | 'text-json'
  /** `multipart/form-data`: its text fields as a plain object of strings (Uptime Kuma's form-data body). */
  | 'multipart';

/** What an adapter may read besides the body. */
export interface SourceContext<Settings = unknown> {
  /** When Hindsight received it: the fallback event time, and `now` for time checks. */
  receivedAt: Date;
  /** The body exactly as received, as text (for hashing and for reading big integers). */
  rawBody: string;
  /** Tag or label keys naming a service, default ['service']. */
  serviceTagKeys: readonly string[];
  /** Tag or label keys naming a host, default ['host']. */
  hostTagKeys: readonly string[];
  /** A request header, by its name in any case; undefined when not sent. */
  header(name: string): string | undefined;
  /** The source's own settings, read from the environment once at start (SourceDefinition.settings). */
  settings: Settings;
}

/** What a parsed webhook asks for. */
export interface SourceResult {
  alerts: Alert[];
  /** Why a well-formed request carries no alert (a ping, an action we do not track): answered 2xx. */
  ignored?: string;
}

/** The request as a signature check sees it: the raw bytes, never a re-serialized body. */
export interface SignedRequest {
  raw: Buffer;
  header(name: string): string | undefined;
  now: Date;
  /** WEBHOOK_SIGNATURE_TOLERANCE_SECONDS: a signed timestamp older than this is refused. */
  toleranceSeconds: number;
}

export interface SourceSignature {
  /** What the README calls it, for error messages: `X-Grafana-Alerting-Signature`. */
  header: string;
  /**
   * Whether the request is signed with the secret (WEBHOOK_SECRET_<NAME>), compared in constant time. Only
   * called when that secret is set; an unsigned request is then refused.
   */
  verify(request: SignedRequest, secret: string): boolean;
}

/**
 * A signature made with a certificate the sender publishes at a URL (Amazon SNS), not with a shared secret.
 * Both functions are pure; fetching the certificate, and caching it, is the route's (src/clients).
 */
export interface CertificateSignature<Settings = unknown> {
  /** What the README calls it, for error messages: `the SNS message signature`. */
  name: string;
  /** Whether requests must carry it, from the source's settings (SNS_VERIFY_SIGNATURES). */
  required(settings: Settings): boolean;
  /** Where the body's signing certificate is, when that is a URL Hindsight may fetch; null otherwise. */
  certificateUrl(body: unknown): string | null;
  /** Whether the body is signed by the certificate (PEM text). Never throws. */
  verify(body: unknown, certificatePem: string): boolean;
}

/**
 * A confirmation a sender asks for in a webhook (SNS's SubscriptionConfirmation: visit its SubscribeURL). The
 * route only queues it; a worker visits the URL as a job, after asking `allows` again (the job comes back
 * from Redis, and only a URL of the sender's own is ever fetched).
 */
export interface SourceHandshake {
  /** The URL this body asks Hindsight to visit, and what it is for (logged, URL-free); null for none. */
  requested(body: unknown): { url: string; what: string } | null;
  /** Whether `url` may be fetched: a host of the sender's own. Never throws. */
  allows(url: string): boolean;
}

export interface SourceDefinition<Settings = unknown> {
  /** The route's last segment (`/webhooks/<name>`) and `Alert.source`: lower case, digits and `-`. */
  name: string;
  /** The body formats it takes; anything else is a 415. */
  bodyFormats: readonly BodyFormat[];
  /** The source's signature scheme, when it signs its requests. */
  signature?: SourceSignature;
  /** A signature by a published certificate (SNS), checked before anything is queued when required. */
  certificateSignature?: CertificateSignature<Settings>;
  /** A confirmation it asks for, done by a worker as a job (SNS subscriptions). */
  handshake?: SourceHandshake;
  /**
   * Environment variables of its own (their names start with the source's, or with its transport's, as
   * SNS_VERIFY_SIGNATURES does), validated at start.
   */
  settings?: z.ZodType<Settings>;
  /** The body's alerts, or a ValidationError naming the bad field; never any other error. */
  parse(body: unknown, context: SourceContext<Settings>): SourceResult;
}

/** A definition with its settings' type hidden, as the list holds them. */
export type Source = SourceDefinition<unknown>;

/**
 * A definition as the list holds it, its settings' type hidden. Its parse is only ever handed the settings its
 * own schema produced (config/index.ts parses them), which is what makes that sound.
 */
export function defineSource<Settings>(definition: SourceDefinition<Settings>): Source {
  return definition;
}

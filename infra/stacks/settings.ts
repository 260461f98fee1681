/**
 * The app's deploy-time settings, read once from CDK context (cdk.json, or `-c key=value` on
 * the command line) and validated, so a typo fails the synth instead of a deploy.
 *
 * Context keys (all optional; the default applies when a key is absent or empty):
 * - `stage`: deployment name, part of every stack name. Default `dev`.
 * - `sesFromAddress`: verified SES sender for Roster's mail (MAIL_FROM). Default `no-reply@example.com`.
 * - `sesCreateEmailIdentity`: create the SES email identity for `sesFromAddress` in the data
 *   stack. Set `false` when the address or its domain is verified outside this stage (SES
 *   refuses a second identity of one name, e.g. two stages in one account). Default `true`.
 * - `appDomain` / `appCertificateArn`: a custom domain for the console's CloudFront distribution
 *   and its ACM certificate (in us-east-1, as CloudFront requires); both or neither. Mailed links
 *   (APP_URL) then start with `https://<appDomain>` (point the domain's DNS at the distribution).
 *   Default: none; APP_URL is the distribution's own `https://<id>.cloudfront.net`.
 * - `corsAllowedOrigins`: origins the HTTP API answers CORS preflights for; a JSON array in
 *   cdk.json, or a comma-separated list on the command line. Default `[]` (no CORS).
 * - `userPoolDomainPrefix`: the created pool's managed-login domain prefix; with it the SPA client
 *   takes OAuth (authorization code + PKCE, callback `https://<appDomain>/sign-in/callback`) and
 *   SSO connections work. Needs `appDomain`. Empty (default): password sign-in only.
 * - `existingUserPoolId` / `existingUserPoolClientId`: import this Cognito pool and SPA
 *   client instead of creating them; both or neither. Default: create.
 * - `tableDeletionProtection`: DynamoDB deletion protection. Default `true`.
 * - `userPoolDeletionProtection`: Cognito deletion protection. Default `true`.
 * - `apiThrottlingRateLimit` / `apiThrottlingBurstLimit`: default-stage throttling of the
 *   HTTP API (requests per second / burst). Defaults 50 and 100.
 * - `scimThrottlingRateLimit` / `scimThrottlingBurstLimit`: route-level throttling of each
 *   `/scim/v2` route (an IdP's provisioning run must not starve the admin API). Defaults 20 and 40.
 * - `webhookThrottlingRateLimit` / `webhookThrottlingBurstLimit`: route-level throttling of the
 *   IdP webhook routes. Defaults 10 and 20.
 * - `logRetentionDays`: retention of function and access logs, one of CloudWatch's
 *   allowed values. Default 30.
 * - `logLevel`: POWERTOOLS_LOG_LEVEL of every function. Default `INFO`.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import type { ExistingUserPool } from '../constructs/roster-identity.js';

export interface RosterSettings {
  readonly stage: string;
  readonly mailFrom: string;
  /** Create the SES identity of `mailFrom` (else it is verified elsewhere). */
  readonly sesCreateEmailIdentity: boolean;
  /** The console's custom domain; absent, the distribution's own domain serves it. */
  readonly appDomain?: AppDomain;
  readonly corsAllowedOrigins: readonly string[];
  /** Set when an existing Cognito pool is imported instead of created. */
  readonly existingUserPool?: ExistingUserPool;
  /** The created pool's managed-login domain prefix (`https://<prefix>.auth.<region>.amazoncognito.com`): SSO sign-in. */
  readonly userPoolDomainPrefix?: string;
  readonly tableDeletionProtection: boolean;
  readonly userPoolDeletionProtection: boolean;
  readonly apiThrottling: { readonly rateLimit: number; readonly burstLimit: number };
  /** Route-level throttling of the routes IdPs call (each route its own limit). */
  readonly routeThrottling: RouteThrottling;
  readonly logRetention: RetentionDays;
  readonly logLevel: LogLevel;
}

/** A custom domain for the console and API, with its us-east-1 ACM certificate. */
export interface AppDomain {
  readonly name: string;
  readonly certificateArn: string;
}

export interface Throttling {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** Route-level throttling by the kind of self-authenticated route. */
export interface RouteThrottling {
  readonly scim: Throttling;
  readonly webhook: Throttling;
}

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_SETTINGS: RosterSettings = {
  stage: 'dev',
  mailFrom: 'no-reply@example.com',
  sesCreateEmailIdentity: true,
  corsAllowedOrigins: [],
  tableDeletionProtection: true,
  userPoolDeletionProtection: true,
  apiThrottling: { rateLimit: 50, burstLimit: 100 },
  routeThrottling: { scim: { rateLimit: 20, burstLimit: 40 }, webhook: { rateLimit: 10, burstLimit: 20 } },
  logRetention: RetentionDays.ONE_MONTH,
  logLevel: 'INFO',
};

/** Reads and validates the settings from a construct's context (normally the App's). */
export function readSettings(node: Node): RosterSettings {
  const problems: string[] = [];
  // Context from cdk.json keeps its JSON type; from `-c key=value` it is always a string.
  const raw = (key: string): unknown => {
    const value: unknown = node.tryGetContext(key);
    return value === '' || value === null ? undefined : value;
  };
  const text = (key: string, fallback: string): string => {
    const value = raw(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'string') problems.push(`${key} must be a string`);
    return String(value).trim();
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const value = raw(key);
    if (value === undefined) return fallback;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    problems.push(`${key} must be true or false`);
    return fallback;
  };
  const positiveInt = (key: string, fallback: number): number => {
    const value = raw(key);
    if (value === undefined) return fallback;
    const parsed = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0) problems.push(`${key} must be a positive integer`);
    return parsed;
  };
  const list = (key: string): string[] => {
    const value = raw(key);
    if (value === undefined) return [];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
    if (typeof value === 'string') {
      const trimmed = value.trim();
      if (trimmed.startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(trimmed);
          if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
        } catch {
          // reported below
        }
      } else {
        return trimmed
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0);
      }
    }
    problems.push(`${key} must be a list of strings`);
    return [];
  };

  const stage = text('stage', DEFAULT_SETTINGS.stage);
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    problems.push('stage must be 1-20 lower-case letters, digits or hyphens, starting with a letter');
  }
  const corsAllowedOrigins = list('corsAllowedOrigins');
  for (const origin of corsAllowedOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      problems.push(`corsAllowedOrigins: "${origin}" is not an origin (scheme://host[:port], no path)`);
    }
  }
  const userPoolId = text('existingUserPoolId', '');
  const userPoolClientId = text('existingUserPoolClientId', '');
  if ((userPoolId === '') !== (userPoolClientId === '')) {
    problems.push('existingUserPoolId and existingUserPoolClientId must be set together');
  }
  const retentionDays = positiveInt('logRetentionDays', DEFAULT_SETTINGS.logRetention);
  if (!(Object.values(RetentionDays) as unknown[]).includes(retentionDays)) {
    problems.push(
      `logRetentionDays ${retentionDays} is not a CloudWatch retention period (1, 3, 5, 7, 14, 30, 60, 90, …)`,
    );
  }
  const logLevel = text('logLevel', DEFAULT_SETTINGS.logLevel).toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const mailFrom = text('sesFromAddress', DEFAULT_SETTINGS.mailFrom);
  if (!/^[^@\s]+@[^@\s]+$/.test(mailFrom)) problems.push('sesFromAddress must be an email address');
  const appDomain = text('appDomain', '').toLowerCase();
  const appCertificateArn = text('appCertificateArn', '');
  if ((appDomain === '') !== (appCertificateArn === ''))
    problems.push('appDomain and appCertificateArn must be set together');
  if (appDomain !== '' && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(appDomain)) {
    problems.push(`appDomain "${appDomain}" is not a host name (no scheme, no path)`);
  }
  if (
    appCertificateArn !== '' &&
    !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(appCertificateArn)
  ) {
    problems.push(
      'appCertificateArn must be an ACM certificate ARN in us-east-1 (CloudFront takes certificates only from there)',
    );
  }

  const userPoolDomainPrefix = text('userPoolDomainPrefix', '').toLowerCase();
  if (userPoolDomainPrefix !== '') {
    // Cognito's rule for a prefix; it also refuses prefixes naming aws, amazon or cognito.
    if (
      !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(userPoolDomainPrefix) ||
      /aws|amazon|cognito/.test(userPoolDomainPrefix)
    )
      problems.push(
        `userPoolDomainPrefix "${userPoolDomainPrefix}" must be 1-63 lower-case letters, digits or hyphens, not naming aws, amazon or cognito`,
      );
    if (appDomain === '')
      problems.push(
        'userPoolDomainPrefix needs appDomain: the OAuth callback is https://<appDomain>/sign-in/callback, and the distribution’s own domain is not known to the identity stack',
      );
    if (userPoolId !== '')
      problems.push('userPoolDomainPrefix applies to a created pool: an imported pool’s domain is its owner’s');
  }

  const settings: RosterSettings = {
    stage,
    mailFrom,
    sesCreateEmailIdentity: flag('sesCreateEmailIdentity', DEFAULT_SETTINGS.sesCreateEmailIdentity),
    ...(appDomain !== '' && appCertificateArn !== ''
      ? { appDomain: { name: appDomain, certificateArn: appCertificateArn } }
      : {}),
    corsAllowedOrigins,
    ...(userPoolId !== '' && userPoolClientId !== '' ? { existingUserPool: { userPoolId, userPoolClientId } } : {}),
    ...(userPoolDomainPrefix !== '' ? { userPoolDomainPrefix } : {}),
    tableDeletionProtection: flag('tableDeletionProtection', DEFAULT_SETTINGS.tableDeletionProtection),
    userPoolDeletionProtection: flag('userPoolDeletionProtection', DEFAULT_SETTINGS.userPoolDeletionProtection),
    apiThrottling: {
      rateLimit: positiveInt('apiThrottlingRateLimit', DEFAULT_SETTINGS.apiThrottling.rateLimit),
      burstLimit: positiveInt('apiThrottlingBurstLimit', DEFAULT_SETTINGS.apiThrottling.burstLimit),
    },
    routeThrottling: {
      scim: {
        rateLimit: positiveInt('scimThrottlingRateLimit', DEFAULT_SETTINGS.routeThrottling.scim.rateLimit),
        burstLimit: positiveInt('scimThrottlingBurstLimit', DEFAULT_SETTINGS.routeThrottling.scim.burstLimit),
      },
      webhook: {
        rateLimit: positiveInt('webhookThrottlingRateLimit', DEFAULT_SETTINGS.routeThrottling.webhook.rateLimit),
        burstLimit: positiveInt('webhookThrottlingBurstLimit', DEFAULT_SETTINGS.routeThrottling.webhook.burstLimit),
      },
    },
    logRetention: retentionDays as RetentionDays,
    logLevel: logLevel as LogLevel,
  };
  if (problems.length > 0) throw new Error(`Invalid CDK context:\n- ${problems.join('\n- ')}`);
  return settings;
}

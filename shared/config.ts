/**
 * The environment, read and validated once at cold start. Every function gets the same
 * variables from the CDK `ApiFunction` construct; local mode and tests set them in-process.
 */
export interface RosterConfig {
  /** The single table's name. */
  tableName: string;
  /** `cognito` in AWS; `local` for npm start and tests (identity kept in the table). */
  identityMode: 'cognito' | 'local';
  /** Cognito user pool id (identityMode cognito). */
  userPoolId: string;
  /** Cognito app client whose access tokens public routes accept as a signed-in caller (accepting an invitation); unset: any client of the pool. */
  userPoolClientId: string | undefined;
  /** Base URL of the admin SPA, for links in mail (invitations, password resets). */
  appUrl: string;
  /** Verified SES sender address. */
  mailFrom: string;
  /** DynamoDB endpoint override (DynamoDB Local); unset in AWS. */
  dynamoDbEndpoint: string | undefined;
  /** SES endpoint override (the SES emulator); unset in AWS. */
  sesEndpoint: string | undefined;
}

export const ENV = {
  tableName: 'TABLE_NAME',
  identityMode: 'IDENTITY_MODE',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  appUrl: 'APP_URL',
  mailFrom: 'MAIL_FROM',
  dynamoDbEndpoint: 'DYNAMODB_ENDPOINT',
  sesEndpoint: 'SES_ENDPOINT',
} as const satisfies Record<keyof RosterConfig, string>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): RosterConfig {
  const missing: string[] = [];
  const required = (name: string): string => {
    const value = env[name];
    if (!value) missing.push(name);
    return value ?? '';
  };
  const identityMode = env[ENV.identityMode] === 'local' ? 'local' : 'cognito';
  const config: RosterConfig = {
    tableName: required(ENV.tableName),
    identityMode,
    userPoolId: identityMode === 'cognito' ? required(ENV.userPoolId) : '',
    userPoolClientId: env[ENV.userPoolClientId] || undefined,
    appUrl: env[ENV.appUrl] ?? 'http://localhost:3000',
    mailFrom: env[ENV.mailFrom] ?? 'no-reply@roster.test',
    dynamoDbEndpoint: env[ENV.dynamoDbEndpoint] || undefined,
    sesEndpoint: env[ENV.sesEndpoint] || undefined,
  };
  if (missing.length > 0) throw new Error(`Missing environment variables: ${missing.join(', ')}`);
  return config;
}

let cached: RosterConfig | undefined;
/** The process's configuration; read on first use so tests can set the environment first. */
export function config(): RosterConfig {
  cached ??= readConfig();
  return cached;
}

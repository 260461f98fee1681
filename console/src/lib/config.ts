/**
 * The deployment's settings, read once from `/config.json` (written by `npm start` locally and
 * by the CDK deployment in AWS), so one build of the console runs everywhere.
 */
export interface ConsoleConfig {
  /** Cognito's user-pool endpoint (`https://cognito-idp.<region>.amazonaws.com/`, locally `<origin>/local/cognito`) and the SPA app client. */
  cognito: { endpoint: string; clientId: string; region: string };
  /**
   * The managed login's OAuth base URL (the user pool domain; locally `<origin>/local/cognito`),
   * for sign-in through an org's identity provider; absent where none is set up.
   */
  oauthBaseUrl?: string;
}

let loaded: Promise<ConsoleConfig> | undefined;

export function loadConfig(): Promise<ConsoleConfig> {
  loaded ??= fetch('/config.json', { headers: { accept: 'application/json' } }).then(async (res) => {
    if (!res.ok) throw new Error(`Could not load /config.json (${res.status})`);
    return (await res.json()) as ConsoleConfig;
  });
  return loaded;
}

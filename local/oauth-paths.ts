/**
 * The local Cognito stand-in's paths on the API's origin. Kept free of imports: `npm start`
 * reads them before the environment the handlers need is set.
 */

/** The user-pool JSON API (InitiateAuth, …) and, below it, the managed login's OAuth endpoints. */
export const LOCAL_COGNITO_PATH = '/local/cognito';
/** The console's `oauthBaseUrl` locally: `<origin>/local/cognito` stands for the user pool domain. */
export const OAUTH_AUTHORIZE_PATH = `${LOCAL_COGNITO_PATH}/oauth2/authorize`;
/** Where an identity provider sends the person back (Cognito's `/oauth2/idpresponse`). */
export const OAUTH_IDP_RESPONSE_PATH = `${LOCAL_COGNITO_PATH}/oauth2/idpresponse`;
export const OAUTH_TOKEN_PATH = `${LOCAL_COGNITO_PATH}/oauth2/token`;
/** The console's route that receives the authorization code. */
export const CONSOLE_CALLBACK_PATH = '/sign-in/callback';

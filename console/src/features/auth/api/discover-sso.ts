import { api, unwrap } from '../../../lib/api';

/** `POST /v1/sso/discovery` (public, rate-limited): whether the email's domain signs in through an org's identity provider. */
export function discoverSso(email: string) {
  return unwrap(api.POST('/v1/sso/discovery', { body: { email } }));
}

import { ProblemError, type Problem } from '../../../lib/api';

export type SsoDiscovery = { sso: false } | { sso: true; idpIdentifier: string };

/**
 * `POST /v1/sso/discovery` (public, rate-limited): whether the email's domain signs in through an
 * org's identity provider. An API without the route (404) has no SSO: the password form it is.
 */
export async function discoverSso(email: string): Promise<SsoDiscovery> {
  // TODO(sso API landed): the typed client, `unwrap(api.POST('/v1/sso/discovery', …))`, once the operation is in api-types.
  const res = await fetch('/v1/sso/discovery', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email }),
  });
  if (res.status === 404) return { sso: false };
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new ProblemError(json as unknown as Problem);
  return json.sso === true && typeof json.idpIdentifier === 'string'
    ? { sso: true, idpIdentifier: json.idpIdentifier }
    : { sso: false };
}

import { ConflictError, GoneError, NotFoundError, UnauthorizedError } from '../errors.js';

export const invitationNotFound = () => new NotFoundError('No such invitation', 'invitation_not_found');
export const invitationNotPending = (status: string) =>
  new ConflictError(`The invitation is ${status}, not pending`, 'invitation_not_pending');
/** Unknown, garbled, superseded (resent) and foreign tokens answer alike. */
export const invalidToken = () =>
  new NotFoundError('This invitation link is not valid; ask for a new one', 'invalid_token');
export const invitationExpired = () =>
  new GoneError('This invitation has expired; ask for a new one', 'invitation_expired');
export const invitationRevoked = () => new GoneError('This invitation was revoked', 'invitation_revoked');
export const invitationUsed = () => new ConflictError('This invitation has already been accepted', 'invitation_used');
/** Accepting as an existing user means signing in, which this route does not do (yet). */
export const signInRequired = () =>
  new ConflictError('This email already has a Roster account; sign in to accept the invitation', 'sign_in_required');
/** The bearer token of a signed-in accept is missing, malformed, forged, expired or of another client (401; the link itself may be fine). */
export const invalidAccessToken = (detail = 'The bearer token is not a valid, current access token') =>
  new UnauthorizedError('invalid_access_token', detail);

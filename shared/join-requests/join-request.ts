import { joinRequestIndexKeys, joinRequestKey } from '../data/keys.js';

export const JOIN_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type JoinRequestStatus = (typeof JOIN_REQUEST_STATUSES)[number];

/** A person's request to join an org; one per user and org (its id is the user's id). */
export interface JoinRequest {
  orgId: string;
  userId: string;
  email: string;
  name: string;
  status: JoinRequestStatus;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
}

export const JOIN_REQUEST_ENTITY = 'joinRequest';

export function joinRequestToItem(r: JoinRequest): Record<string, unknown> {
  return { ...joinRequestKey(r.orgId, r.userId), ...joinRequestIndexKeys(r), entity: JOIN_REQUEST_ENTITY, ...r };
}

export function joinRequestFromItem(item: Record<string, unknown>): JoinRequest {
  return {
    orgId: item.orgId as string,
    userId: item.userId as string,
    email: item.email as string,
    name: item.name as string,
    status: item.status as JoinRequestStatus,
    createdAt: item.createdAt as string,
    decidedAt: (item.decidedAt as string | null | undefined) ?? null,
    decidedBy: (item.decidedBy as string | null | undefined) ?? null,
  };
}

export const joinRequestView = (r: JoinRequest) => ({ requestId: r.userId, ...r });

/** Whether an email may ask to join an org that restricts domains (empty list: anyone). */
export function emailDomainAllowed(email: string, allowedDomains: readonly string[]): boolean {
  if (allowedDomains.length === 0) return true;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return allowedDomains.includes(domain);
}

/** A bulk invite's hold on seats (shared/seats/seat-lease.ts says how it works). */
export interface LeaseOwner {
  kind: 'bulk-invite';
  /** The request that reserved: who to look for in the logs. */
  requestId: string | null;
  actorId: string;
}

export interface SeatLease {
  orgId: string;
  leaseId: string;
  granted: number;
  deadline: string;
  owner: LeaseOwner;
  createdAt: string;
}

import type { TableGrant } from '../operation.js';

/** A user pool Lambda trigger: its handler module and everything it touches in the table. */
export interface SignInTrigger {
  /** Handler module under functions/, without extension; its file name is the function's name suffix in AWS. */
  readonly handler: `triggers/${string}`;
  /**
   * The families its IAM grant is narrowed to and the local guard enforces (no pipeline runs
   * before a trigger). The construct may grant less than the declared access (fewer actions,
   * the index it queries), never another family.
   */
  readonly table: TableGrant;
}

/**
 * The user pool's triggers, declared once: infra/constructs/sign-in-triggers.ts builds and grants
 * the functions from this, and the local stack's guard (local/table-access-guard.ts) checks their
 * table access. Pure data, no SDK: synth and the local server import it.
 */
export const SIGN_IN_TRIGGERS = {
  preAuthentication: {
    handler: 'triggers/pre-authentication',
    // Narrower in IAM (RosterTable.grantPasswordSignInCheck): Query on the index of a user's
    // memberships, GetItem and BatchGetItem of the user, their orgs and memberships and the email
    // domain's SSO claim.
    table: { access: 'read', families: ['ORG', 'SSODOMAIN', 'USER'] },
  },
  postAuthentication: {
    handler: 'triggers/post-authentication',
    // Narrower in IAM (RosterTable.grantSignInRecording): that Query, GetItem of user items,
    // UpdateItem (lastLoginAt) of user and membership items.
    table: { access: 'readWrite', families: ['ORG', 'USER'] },
  },
  preTokenGeneration: {
    handler: 'triggers/pre-token-generation',
    // A federated sign-in (completeFederatedSignIn) writes the user, membership, counters and audit event.
    table: {
      access: 'readWrite',
      families: ['AUDIT', 'EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
    },
  },
  preSignUp: {
    handler: 'triggers/pre-sign-up',
    // Linking (AdminLinkProviderForUser) to a user whose identity it may first create (pending users).
    table: {
      access: 'readWrite',
      families: ['AUDIT', 'EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'],
    },
  },
  userMigration: {
    handler: 'triggers/user-migration',
    // Reads only (the email claim, the user, their memberships and orgs): Cognito creates the identity.
    table: { access: 'read', families: ['EMAIL', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'USER'] },
  },
} as const satisfies Record<string, SignInTrigger>;

export type SignInTriggerName = keyof typeof SIGN_IN_TRIGGERS;

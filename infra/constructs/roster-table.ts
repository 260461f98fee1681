import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  invitationKey,
  memberListIndex,
  membershipKey,
  orgKey,
  outboxKey,
  ssoDomainClaimKey,
  userKey,
} from '../../shared/data/keys.js';
import {
  PARTITION_KEY,
  SORT_KEY,
  TABLE_DEFINITION,
  type IndexName,
  type TableDefinition,
} from '../../shared/data/table-definition.js';
import { DELIVERY_ATTRIBUTES } from '../../shared/invitations/invitation.js';

export interface RosterTableProps {
  /**
   * Keys, TTL attribute and indexes.
   * @default TABLE_DEFINITION, the one the code and DynamoDB Local use
   */
  readonly definition?: TableDefinition;
  /**
   * Refuse `DeleteTable` until it is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * What CloudFormation does with the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN, the table holds every tenant's data
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Item reads the request path needs. No Scan: every list is a Query on a key built for it. */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
] as const;

/** Item writes; TransactWriteItems is authorised per item through these. */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
] as const;

/** What the outbox mailer does with an outbox item: reads it back, deletes it once mailed. */
export const OUTBOX_DELIVERY_ACTIONS = ['dynamodb:GetItem', 'dynamodb:DeleteItem'] as const;

/**
 * `dynamodb:LeadingKeys` patterns: the partition-key prefixes of one kind of item, taken from
 * the key builders so the policy follows the keys the code writes.
 */
const leadingKeys = (...partitionKeys: string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitionKeys.map((pk) => `${pk}*`) },
});

/**
 * Roster's single table: on demand, point-in-time recovery, TTL, and a NEW_AND_OLD_IMAGES
 * stream for the outbox mailer. Built from the shared table definition so the keys the code
 * writes always exist in AWS.
 */
export class RosterTable extends Construct {
  readonly table: TableV2;
  /** Index names, in definition order. */
  readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: RosterTableProps = {}) {
    super(scope, id);
    const definition = props.definition ?? TABLE_DEFINITION;
    this.indexNames = definition.indexes.map((index) => index.name);

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: definition.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      globalSecondaryIndexes: definition.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        // Overloaded indexes serve whole entities to list pages: a KEYS_ONLY projection would
        // cost a GetItem per row and break the round-trip budget.
        projectionType: ProjectionType.ALL,
      })),
      timeToLiveAttribute: definition.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  get tableName(): string {
    return this.table.tableName;
  }

  get tableArn(): string {
    return this.table.tableArn;
  }

  /**
   * Item reads on the table and its indexes. Unlike TableV2's own grant, names each index
   * instead of `index/*` and leaves out Scan and the stream actions.
   */
  grantReadData(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: [...TABLE_READ_ACTIONS], resourceArns: this.resourceArns() });
  }

  /** Item reads and writes on the table and its indexes (see grantReadData). */
  grantReadWriteData(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
      resourceArns: this.resourceArns(),
    });
  }

  /**
   * The outbox mailer's access: GetItem and DeleteItem on outbox items only (their partition
   * key prefix), UpdateItem of an invitation's delivery attributes only, nothing on the
   * indexes. The stream itself is granted by its event source.
   */
  grantOutboxDelivery(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: [...OUTBOX_DELIVERY_ACTIONS],
      resourceArns: [this.tableArn],
      conditions: leadingKeys(outboxKey('').PK),
    }).combine(
      // The invitation's delivery state: UpdateItem under org partitions, of those attributes only
      // (plus the keys and the status its condition reads), returning nothing.
      Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:UpdateItem'],
        resourceArns: [this.tableArn],
        conditions: {
          ...leadingKeys(invitationKey('', '').PK),
          'ForAllValues:StringEquals': {
            'dynamodb:Attributes': [PARTITION_KEY, SORT_KEY, 'status', ...DELIVERY_ATTRIBUTES],
          },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
        },
      }),
    );
  }

  /** The pre-authentication trigger's access: Query on the index of a user's memberships, nothing else. */
  grantSignInCheck(grantee: IGrantable): Grant {
    return this.grantQuery(grantee, memberListIndex.byMembershipsOfUser);
  }

  /**
   * The pre-authentication trigger's access: the sign-in check's Query, and reads of the user, its
   * orgs and memberships (the suspended-everywhere check, SSO enforcement's org settings and
   * break-glass membership) and the email domain's SSO claim, by partition-key prefix.
   */
  grantPasswordSignInCheck(grantee: IGrantable): Grant {
    return this.grantSignInCheck(grantee).combine(
      Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
        resourceArns: [this.tableArn],
        conditions: leadingKeys(userKey('').PK, orgKey('').PK, ssoDomainClaimKey('').PK),
      }),
    );
  }

  /**
   * The post-authentication trigger's access: the sign-in check's Query, UpdateItem on user and
   * membership items only (lastLoginAt), by their partition-key prefixes, and GetItem on user
   * items (the Cognito adapter reads the username Roster recorded for the identity).
   */
  grantSignInRecording(grantee: IGrantable): Grant {
    return this.grantSignInCheck(grantee)
      .combine(
        Grant.addToPrincipal({
          grantee,
          actions: ['dynamodb:UpdateItem'],
          resourceArns: [this.tableArn],
          conditions: leadingKeys(userKey('').PK, membershipKey('', '').PK),
        }),
      )
      .combine(
        Grant.addToPrincipal({
          grantee,
          actions: ['dynamodb:GetItem'],
          resourceArns: [this.tableArn],
          conditions: leadingKeys(userKey('').PK),
        }),
      );
  }

  /**
   * The pre-token-generation trigger's access: GetItem (the Cognito adapter reads the username
   * Roster recorded for the identity) and UpdateItem (the MFA state) on user items only.
   */
  grantMfaStateRecording(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      resourceArns: [this.tableArn],
      conditions: leadingKeys(userKey('').PK),
    });
  }

  private grantQuery(grantee: IGrantable, index: IndexName): Grant {
    if (!this.indexNames.includes(index)) throw new Error(`${this.node.path}: no index ${index}`);
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: [`${this.tableArn}/index/${index}`],
    });
  }

  private resourceArns(): string[] {
    return [this.tableArn, ...this.indexNames.map((name) => `${this.tableArn}/index/${name}`)];
  }
}

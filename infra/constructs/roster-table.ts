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
  PARTITION_FAMILIES,
  type PartitionFamily,
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
import { OUTBOX_FAILED_ATTRIBUTES } from '../../shared/mail/outbox-entity.js';
import type { TableGrant } from '../../shared/operation.js';

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

/** The condition narrowing a statement to partition-key families (see RosterTable.grantPartitionFamilies). */
export const leadingKeyFamilies = (families: readonly PartitionFamily[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': families.map((family) => PARTITION_FAMILIES[family]) },
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

  /**
   * Item reads (and writes, with `readWrite`) on the table and its indexes, narrowed to the
   * partition-key families a function declares (TableGrant in shared/operation.ts). How IAM evaluates
   * the condition (DynamoDB Developer Guide, "Using IAM policy conditions for fine-grained access
   * control", https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html,
   * and "Using IAM with DynamoDB transactions", .../transaction-apis-iam.html):
   * - `dynamodb:LeadingKeys` is the request's partition-key values, a set even for one item, so it
   *   takes `ForAllValues` (here `ForAllValues:StringLike`, one pattern a family): every value must
   *   match. BatchGetItem and BatchWriteItem carry every item's key, so one key outside the
   *   families denies the whole batch.
   * - A Query names one partition-key value; on an index (its ARN is listed) that is the index's
   *   partition key (`GSIn PK`), which is why the families include index partitions (`ORG#o#M` is
   *   `ORG#*`, `USER#u` of GSI1 is `USER#*`).
   * - TransactWriteItems and TransactGetItems are authorized per item as PutItem, UpdateItem,
   *   DeleteItem, ConditionCheckItem and GetItem, each with its own leading key.
   * - A Scan has no leading keys, and `ForAllValues` over an empty set is true: Scan must never be
   *   in a narrowed statement (it is in none: TABLE_READ_ACTIONS has no Scan). A function that
   *   scans keeps the unnarrowed grant.
   * - IAM sees no sort key: families are whole partitions. An org's items (members, invitations,
   *   webhook config, SSO connections) share `ORG#o` and cannot be told apart; nor can one org
   *   from another, since the org id is a path value and one role serves every tenant.
   * local/table-access-guard.ts applies the same rule to the local stack.
   */
  grantPartitionFamilies(
    grantee: IGrantable,
    access: 'read' | 'readWrite',
    families: readonly PartitionFamily[],
  ): Grant {
    if (families.length === 0) throw new Error(`${this.node.path}: a narrowed grant needs at least one family`);
    return Grant.addToPrincipal({
      grantee,
      actions: [...TABLE_READ_ACTIONS, ...(access === 'readWrite' ? TABLE_WRITE_ACTIONS : [])],
      resourceArns: this.resourceArns(),
      conditions: leadingKeyFamilies(families),
    });
  }

  /**
   * A function's table access as declared with it (TableGrant: its operation object, its consumer
   * or trigger entry): narrowed to its families, the whole table where it says why, or nothing.
   */
  grant(grantee: IGrantable, grant: TableGrant): Grant | undefined {
    if (grant === 'none') return undefined;
    if (grant.families !== undefined) return this.grantPartitionFamilies(grantee, grant.access, grant.families);
    return grant.access === 'read' ? this.grantReadData(grantee) : this.grantReadWriteData(grantee);
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
   * key prefix), UpdateItem of an outbox item's failed mark and of an invitation's delivery
   * attributes only, nothing on the indexes. The stream itself is granted by its event source.
   */
  grantOutboxDelivery(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: [...OUTBOX_DELIVERY_ACTIONS],
      resourceArns: [this.tableArn],
      conditions: leadingKeys(outboxKey('').PK),
    })
      .combine(
        // A mail SES refused for good, marked failed in place (markOutboxFailed: its state, reason and
        // time, and its move to the org's failed-mail index partition).
        this.grantAttributeUpdate(grantee, outboxKey('').PK, OUTBOX_FAILED_ATTRIBUTES),
      )
      .combine(
        // The invitation's (and a member mail's) delivery state, plus the status its condition reads.
        this.grantAttributeUpdate(grantee, invitationKey('', '').PK, ['status', ...DELIVERY_ATTRIBUTES]),
      );
  }

  /** UpdateItem under one partition-key prefix, of the keys and `attributes` only, returning nothing. */
  private grantAttributeUpdate(grantee: IGrantable, partitionKey: string, attributes: readonly string[]): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:UpdateItem'],
      resourceArns: [this.tableArn],
      conditions: {
        ...leadingKeys(partitionKey),
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': [PARTITION_KEY, SORT_KEY, ...attributes] },
        StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
      },
    });
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

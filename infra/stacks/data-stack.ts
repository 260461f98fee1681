import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ExportBucket } from '../constructs/export-bucket.js';
import { MailSenderIdentity } from '../constructs/mailer.js';
import { RosterTable } from '../constructs/roster-table.js';
import { SecretsKey } from '../constructs/secrets-key.js';

export interface DataStackProps extends StackProps {
  /** Verified SES sender (MAIL_FROM). */
  readonly mailFrom: string;
  /**
   * Create the SES email identity of `mailFrom` here.
   * @default true
   */
  readonly sesCreateEmailIdentity?: boolean;
  /**
   * DynamoDB deletion protection.
   * @default true
   */
  readonly tableDeletionProtection?: boolean;
}

/**
 * What must outlive every deploy: the single table (retained, deletion-protected) and the SES
 * identity Roster mails from (retained: verifying it takes a person).
 */
export class DataStack extends Stack {
  readonly table: RosterTable;
  readonly mailSender: MailSenderIdentity;
  /** Large member exports (a day's lifetime) and their access logs. */
  readonly exportBucket: ExportBucket;
  /** Seals secrets kept in the table (webhook signing secrets); retained, rotated yearly. */
  readonly secretsKey: SecretsKey;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    this.table = new RosterTable(this, 'RosterTable', { deletionProtection: props.tableDeletionProtection ?? true });
    this.mailSender = new MailSenderIdentity(this, 'MailSender', {
      fromAddress: props.mailFrom,
      createIdentity: props.sesCreateEmailIdentity ?? true,
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    this.exportBucket = new ExportBucket(this, 'MemberExports');
    this.secretsKey = new SecretsKey(this, 'Secrets');
    new CfnOutput(this, 'ExportBucketName', { value: this.exportBucket.bucket.bucketName });
  }
}

import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RosterTable } from '../constructs/roster-table.js';

export interface DataStackProps extends StackProps {
  /**
   * DynamoDB deletion protection.
   * @default true
   */
  readonly tableDeletionProtection?: boolean;
}

/** What must outlive every deploy: the single table (retained, deletion-protected). */
export class DataStack extends Stack {
  readonly table: RosterTable;

  constructor(scope: Construct, id: string, props: DataStackProps = {}) {
    super(scope, id, props);
    this.table = new RosterTable(this, 'RosterTable', { deletionProtection: props.tableDeletionProtection ?? true });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
  }
}

import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** One IAM policy statement as a synthesized template holds it. */
export interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export const logicalIdOf = (stack: Stack, construct: IConstruct | undefined): string => {
  if (!construct) throw new Error('no construct');
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
};

/** A statement's actions, sorted. */
export const actionsOf = (statement: Statement): string[] =>
  (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).slice().sort();

/** The statements of every policy attached to a role. */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify((p.Properties as { Roles?: unknown }).Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement);
}

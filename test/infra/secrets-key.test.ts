/**
 * CDK assertion tests on the secrets key (issue 21): a rotated, retained KMS key in the data
 * stack; the webhook secret rotation may only generate data keys, the webhook receiver may only
 * decrypt them, both under the signing secrets' encryption context; no other function touches it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { ApiFunction } from '../../infra/constructs/api-function.js';
import { SECRETS_ENV } from '../../shared/secrets/secrets-env.js';
import { synthRoster, type Synthesized } from '../helpers/synth-roster.js';

interface Statement {
  Action: string | string[];
  Condition?: unknown;
}

const logicalIdOf = (stack: Stack, construct: IConstruct): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

function kmsStatementsOf(stack: Stack, fn: ApiFunction): Statement[] {
  const roleId = logicalIdOf(stack, fn.role);
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter((r) => JSON.stringify((r.Properties as { Roles: unknown }).Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((r) => (r.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement)
    .filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a.startsWith('kms:')));
}

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synthRoster();
}, 120_000);

describe('secrets key', () => {
  it('is one KMS key in the data stack, rotated automatically and retained', () => {
    const data = Template.fromStack(synthesized.stacks.data);
    data.resourceCountIs('AWS::KMS::Key', 1);
    const [key] = Object.values(data.findResources('AWS::KMS::Key'));
    expect(key?.Properties).toMatchObject({ EnableKeyRotation: true });
    expect(key?.DeletionPolicy).toBe('Retain');
  });

  it('the secret rotation only generates data keys and the receiver only decrypts, under the signing-secret context; no other function may', () => {
    const context = { StringEquals: { 'kms:EncryptionContext:purpose': 'webhook-signing-secret' } };
    const seen: string[] = [];
    for (const routeStack of synthesized.stacks.api.routeStacks.values()) {
      for (const [handler, route] of routeStack.routes) {
        const statements = kmsStatementsOf(routeStack, route.function);
        const env = Template.fromStack(routeStack).toJSON().Resources[logicalIdOf(routeStack, route.function.function)]
          ?.Properties?.Environment?.Variables as Record<string, unknown> | undefined;
        if (handler === 'webhooks/rotate-webhook-secret' || handler === 'webhooks/receive-idp-event') {
          seen.push(handler);
          const action = handler === 'webhooks/rotate-webhook-secret' ? 'kms:GenerateDataKey' : 'kms:Decrypt';
          expect(statements, handler).toHaveLength(1);
          expect(statements[0]).toMatchObject({ Action: action, Condition: context });
          expect(env?.[SECRETS_ENV.keyArn], handler).toBeDefined();
        } else {
          expect(statements, handler).toEqual([]);
          expect(env?.[SECRETS_ENV.keyArn], handler).toBeUndefined();
        }
      }
    }
    expect(seen.sort()).toEqual(['webhooks/receive-idp-event', 'webhooks/rotate-webhook-secret']);
  });
});

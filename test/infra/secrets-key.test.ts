/**
 * CDK assertion tests on the secrets key (issue 21): a rotated, retained KMS key in the data
 * stack; the webhook secret rotation may only generate data keys, the webhook receiver may only
 * decrypt them, both under the signing secrets' encryption context; the functions that mail a
 * link may only generate data keys and the mailer may only decrypt them, under the mail links'
 * context; no other function touches it.
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

function environmentOf(stack: Stack, fn: ApiFunction): Record<string, unknown> | undefined {
  return Template.fromStack(stack).toJSON().Resources[logicalIdOf(stack, fn.function)]?.Properties?.Environment
    ?.Variables as Record<string, unknown> | undefined;
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

  it('each route may only generate data keys or only decrypt them, under its purpose: webhook secrets rotated and opened, mail links sealed; no other route may', () => {
    const webhook = { StringEquals: { 'kms:EncryptionContext:purpose': 'webhook-signing-secret' } };
    const mailLink = { StringEquals: { 'kms:EncryptionContext:purpose': 'mail-link' } };
    const expected: Record<string, Statement> = {
      'webhooks/rotate-webhook-secret': { Action: 'kms:GenerateDataKey', Condition: webhook },
      'webhooks/receive-idp-event': { Action: 'kms:Decrypt', Condition: webhook },
      // Every route that mails a link (invitation, password, email confirmation) seals it, and never opens one.
      'invitations/create-invitations': { Action: 'kms:GenerateDataKey', Condition: mailLink },
      'invitations/resend-invitation': { Action: 'kms:GenerateDataKey', Condition: mailLink },
      'credentials/reset-password': { Action: 'kms:GenerateDataKey', Condition: mailLink },
      'credentials/forgot-password': { Action: 'kms:GenerateDataKey', Condition: mailLink },
      'orgs/create-org': { Action: 'kms:GenerateDataKey', Condition: mailLink },
      'members/replace-member': { Action: 'kms:GenerateDataKey', Condition: mailLink },
      'scim/replace-user': { Action: 'kms:GenerateDataKey', Condition: mailLink },
      'scim/patch-user': { Action: 'kms:GenerateDataKey', Condition: mailLink },
    };
    const seen: string[] = [];
    for (const routeStack of synthesized.stacks.api.routeStacks.values()) {
      for (const [handler, route] of routeStack.routes) {
        const statements = kmsStatementsOf(routeStack, route.function);
        const env = environmentOf(routeStack, route.function);
        const grant = expected[handler];
        if (grant) {
          seen.push(handler);
          expect(statements, handler).toHaveLength(1);
          expect(statements[0], handler).toMatchObject(grant);
          expect(env?.[SECRETS_ENV.keyArn], handler).toBeDefined();
        } else {
          expect(statements, handler).toEqual([]);
          expect(env?.[SECRETS_ENV.keyArn], handler).toBeUndefined();
        }
      }
    }
    expect(seen.sort()).toEqual(Object.keys(expected).sort());
  });

  it('the mailer may only decrypt mail links, the import worker only seal them; no other background function touches the key', () => {
    const mailLink = { StringEquals: { 'kms:EncryptionContext:purpose': 'mail-link' } };
    const stack = synthesized.stacks.async;
    const { mailer, importWorker } = stack;
    expect(kmsStatementsOf(stack, mailer.function)).toEqual([
      expect.objectContaining({ Action: 'kms:Decrypt', Condition: mailLink }),
    ]);
    expect(kmsStatementsOf(stack, importWorker.function)).toEqual([
      expect.objectContaining({ Action: 'kms:GenerateDataKey', Condition: mailLink }),
    ]);
    for (const fn of [mailer.function, importWorker.function]) {
      expect(environmentOf(stack, fn)?.[SECRETS_ENV.keyArn]).toBeDefined();
    }
    const others = [
      stack.invitationExpiry.function,
      stack.seatSweeper.function,
      stack.ssoProviderReconciler.function,
      stack.memberExportWriter.function,
      stack.streamDispatcher.function,
    ];
    for (const fn of others) {
      expect(kmsStatementsOf(stack, fn), fn.node.path).toEqual([]);
      expect(environmentOf(stack, fn)?.[SECRETS_ENV.keyArn], fn.node.path).toBeUndefined();
    }
  });
});

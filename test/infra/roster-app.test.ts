/**
 * CDK assertion tests on the security properties of the synthesized app. Asset bundling is
 * skipped (`aws:cdk:bundling-stacks: []`) and the handlers are one-line stubs, so these tests
 * check the infrastructure, not the handlers; `npx cdk synth` bundles the real ones.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { App, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnLogGroup } from 'aws-cdk-lib/aws-logs';
import { lambdaRuntime } from '../../infra/constructs/api-function.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../../infra/constructs/roster-table.js';
import {
  API_ACCESS_SCOPE,
  FALLBACK_ROUTES,
  ROUTES,
  type FallbackRouteDefinition,
  type RouteDefinition,
} from '../../infra/routes.js';
import { addNagChecks, type RosterStacks } from '../../infra/stacks/roster.js';
import { CDK_CONTEXT, synthRoster, type Synthesized } from '../helpers/synth-roster.js';
import { INDEX_NAMES, TTL_ATTRIBUTE } from '../../shared/data/table-definition.js';
import { PARTITION_FAMILIES } from '../../shared/data/keys.js';
import { pipelineFamilies } from '../../shared/data/table-access.js';
import { FALLBACK_OPERATIONS, OPERATIONS } from '../../shared/api/operations.js';
import { resetMfa } from '../../shared/credentials/operations.js';
import { DECLARED_FUNCTIONS } from '../../local/table-access-guard.js';

function areaOf(route: RouteDefinition | FallbackRouteDefinition): string {
  return route.handler.split('/')[0] ?? '';
}

function routeOf(stacks: RosterStacks, route: RouteDefinition | FallbackRouteDefinition) {
  const routeStack = stacks.api.routeStacks.get(areaOf(route));
  const apiRoute = routeStack?.routes.get(route.handler);
  if (!routeStack || !apiRoute) throw new Error(`no construct for ${route.handler}`);
  return { routeStack, apiRoute, template: Template.fromStack(routeStack) };
}

interface Statement {
  Action: string | string[];
  Effect: string;
  Resource: unknown;
  Condition?: unknown;
}

const actionsOf = (statement: Statement): string[] =>
  (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).slice().sort();

describe('Roster app, synthesized with cdk.json context', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    // Throws if any cdk-nag finding is unacknowledged or any construct fails validation.
    synthesized = synthRoster();
  });

  describe('API routes', () => {
    it('creates one HTTP API route per row of ROUTES and FALLBACK_ROUTES, behind the JWT authorizer requiring the access-token scope exactly when auth is jwt', () => {
      const { stacks } = synthesized;
      for (const route of [...ROUTES, ...FALLBACK_ROUTES]) {
        const { template } = routeOf(stacks, route);
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: `${route.method} ${route.path}`,
          AuthorizationType: route.auth === 'jwt' ? 'JWT' : 'NONE',
          AuthorizerId: route.auth === 'jwt' ? Match.anyValue() : Match.absent(),
          // ID tokens pass the audience check (aud = client id); only access tokens carry this scope.
          AuthorizationScopes: route.auth === 'jwt' ? [API_ACCESS_SCOPE] : Match.absent(),
        });
      }
      const routeCount = [...stacks.api.routeStacks.values()]
        .map((stack) => Object.keys(Template.fromStack(stack).findResources('AWS::ApiGatewayV2::Route')).length)
        .reduce((a, b) => a + b, 0);
      expect(routeCount).toBe(ROUTES.length + FALLBACK_ROUTES.length);
    });

    it('answers every SCIM path no route serves through ANY /scim/v2/{proxy+}: its own function (a SCIM 404 once the token is checked), table read only, throttled like the SCIM routes', () => {
      const { stacks } = synthesized;
      const fallback = FALLBACK_ROUTES.find((r) => r.path === '/scim/v2/{proxy+}');
      expect(fallback).toMatchObject({
        method: 'ANY',
        handler: 'scim/unknown-scim-path',
        auth: 'scim',
        // The token's reads: the token, its org and the rate limit.
        table: { access: 'read', families: ['ORG', 'RATE', 'SCIMTOKEN'] },
      });
      if (!fallback) return;
      const { apiRoute, routeStack, template } = routeOf(stacks, fallback);
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'ANY /scim/v2/{proxy+}',
        AuthorizationType: 'NONE',
        Target: Match.anyValue(),
      });
      template.hasResourceProperties('AWS::Lambda::Function', { Description: 'ANY /scim/v2/{proxy+}' });
      expect(apiRoute.function.function.node.path.startsWith(routeStack.node.path)).toBe(true);
      // The specific routes stay: GET /Schemas/{id} is a route of its own, not the fallback's.
      expect(ROUTES.some((r) => r.method === 'GET' && r.path === '/scim/v2/Schemas/{id}')).toBe(true);
      const stage = Object.values(Template.fromStack(stacks.api).findResources('AWS::ApiGatewayV2::Stage'))[0] as {
        Properties: { RouteSettings: Record<string, unknown> };
      };
      expect(stage.Properties.RouteSettings['ANY /scim/v2/{proxy+}']).toEqual(
        stage.Properties.RouteSettings['GET /scim/v2/Users'],
      );
    });

    it('points every JWT route at the one authorizer, which trusts only the pool issuer and SPA client', () => {
      const { stacks } = synthesized;
      const api = Template.fromStack(stacks.api);
      api.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
      api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Issuer: {
            'Fn::Join': [
              '',
              [
                'https://cognito-idp.',
                { Ref: 'AWS::Region' },
                '.amazonaws.com/',
                stacks.api.resolve(stacks.api.identity.userPoolId),
              ],
            ],
          },
          Audience: [stacks.api.resolve(stacks.api.identity.userPoolClientId)],
        },
      });
      const [authorizerLogicalId] = Object.keys(api.findResources('AWS::ApiGatewayV2::Authorizer'));
      const parentResources = (
        api.toJSON() as { Resources: Record<string, { Properties?: { Parameters?: Record<string, unknown> } }> }
      ).Resources;
      for (const route of ROUTES.filter((r) => r.auth === 'jwt')) {
        const { routeStack, template } = routeOf(stacks, route);
        const [cfnRoute] = Object.values(
          template.findResources('AWS::ApiGatewayV2::Route', {
            Properties: { RouteKey: `${route.method} ${route.path}` },
          }),
        );
        // The nested stack gets the authorizer id through a parameter the parent fills in.
        const parameter = (cfnRoute?.Properties as { AuthorizerId: { Ref: string } }).AuthorizerId.Ref;
        const nestedStackResource = routeStack.nestedStackResource;
        if (!nestedStackResource) throw new Error('not a nested stack');
        const passed =
          parentResources[stacks.api.getLogicalId(nestedStackResource)]?.Properties?.Parameters?.[parameter];
        expect(passed).toEqual({ Ref: authorizerLogicalId });
      }
    });

    it('lets each function write only its own log group and grants exactly its row: table access on the table and its indexes, the listed Cognito actions on the pool, its one action on the secrets key', () => {
      const { stacks } = synthesized;
      for (const route of [...ROUTES, ...FALLBACK_ROUTES]) {
        const { routeStack, apiRoute, template } = routeOf(stacks, route);
        const fn = apiRoute.function;
        const roleId = routeStack.getLogicalId(fn.role.node.defaultChild as CfnRole);
        const logGroupId = routeStack.getLogicalId(fn.logGroup.node.defaultChild as CfnLogGroup);
        const json = template.toJSON() as {
          Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
        };

        // The role has no managed or inline policies; one attached policy carries every grant.
        expect(json.Resources[roleId]?.Properties.ManagedPolicyArns).toBeUndefined();
        expect(json.Resources[roleId]?.Properties.Policies).toBeUndefined();
        const policies = Object.values(json.Resources).filter(
          (r) =>
            r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
        );
        expect(policies).toHaveLength(1);
        const statements = (policies[0]?.Properties.PolicyDocument as { Statement: Statement[] }).Statement;

        const expected: { actions: string[]; resource: unknown; condition?: unknown }[] = [
          { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
          { actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], resource: '*' },
        ];
        if (route.table !== 'none') {
          const tableArn = routeStack.resolve(stacks.data.table.tableArn) as unknown;
          const { access, families } = route.table;
          const actions = access === 'read' ? [...TABLE_READ_ACTIONS] : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
          expected.push({
            actions: actions.sort(),
            resource: [tableArn, ...INDEX_NAMES.map((name) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] }))],
            // Narrowed to the declared partition-key families (the operation's and the pipeline's).
            ...(families === undefined
              ? {}
              : {
                  condition: {
                    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': families.map((f) => PARTITION_FAMILIES[f]) },
                  },
                }),
          });
        }
        if (route.identity && route.identity.length > 0) {
          expected.push({
            actions: [...route.identity].sort(),
            resource: routeStack.resolve(stacks.api.identity.userPoolArn) as unknown,
          });
        }
        if (route.objectStore === 'presignExports') {
          expected.push({
            actions: ['s3:GetObject'],
            resource: routeStack.resolve(stacks.data.exportBucket.exportObjectsArn()) as unknown,
          });
        }
        if (route.secrets) {
          expected.push({
            actions: [route.secrets.access === 'seal' ? 'kms:GenerateDataKey' : 'kms:Decrypt'],
            resource: routeStack.resolve(stacks.data.secretsKey.key.keyArn) as unknown,
          });
        }
        expect(
          statements.map((s) => ({
            effect: s.Effect,
            actions: actionsOf(s),
            resource: s.Resource,
            // The table statement's condition (other grants' conditions are their own tests').
            ...(s.Condition && actionsOf(s).some((a) => a.startsWith('dynamodb:')) ? { condition: s.Condition } : {}),
          })),
          `${route.method} ${route.path}`,
        ).toEqual(expected.map((e) => ({ effect: 'Allow', ...e })));
      }
    });

    it('never grants Scan, a wildcard action, or a "*" resource outside the X-Ray statement', () => {
      const { stacks } = synthesized;
      for (const routeStack of stacks.api.routeStacks.values()) {
        const policies = Template.fromStack(routeStack).findResources('AWS::IAM::Policy');
        for (const policy of Object.values(policies)) {
          for (const statement of (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument
            .Statement) {
            const actions = actionsOf(statement);
            expect(actions).not.toContain('dynamodb:Scan');
            expect(actions.some((a) => a.includes('*'))).toBe(false);
            if (JSON.stringify(statement.Resource).includes('*')) {
              // X-Ray takes no resource; export links are signed for any file under the exports prefix.
              if (actions.includes('s3:GetObject'))
                expect(JSON.stringify(statement.Resource)).toMatch(/-exports-.*\/exports\/\*"/);
              else expect(actions).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
            }
          }
        }
      }
    });

    /** The `dynamodb:LeadingKeys` of the table statement in the synthesized policy of a route's function. */
    const leadingKeysOf = (handler: string): string[] | undefined => {
      const route = [...ROUTES, ...FALLBACK_ROUTES].find((r) => r.handler === handler);
      if (!route) throw new Error(`no route ${handler}`);
      const { routeStack, apiRoute, template } = routeOf(synthesized.stacks, route);
      const roleId = routeStack.getLogicalId(apiRoute.function.role.node.defaultChild as CfnRole);
      const table = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
        .flatMap((p) => (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement)
        .find((s) => actionsOf(s).includes('dynamodb:GetItem'));
      const condition = table?.Condition as
        { 'ForAllValues:StringLike'?: { 'dynamodb:LeadingKeys'?: string[] } } | undefined;
      return condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
    };

    it("narrows each operation's table access to the families its operation object declares and those the pipeline reads for its auth and limit, no more", () => {
      for (const operation of [...OPERATIONS, ...FALLBACK_OPERATIONS]) {
        const { table } = operation.grants;
        if (table === 'none') continue;
        const declared = new Set([...(table.families ?? []), ...pipelineFamilies(operation.auth, operation.limit)]);
        const granted = leadingKeysOf(operation.handler);
        expect(granted, operation.handler).toBeDefined();
        expect(new Set(granted), operation.handler).toEqual(new Set([...declared].map((f) => PARTITION_FAMILIES[f])));
      }
      // The families an operation object names reach its policy as they are (the credential actions' shared list).
      expect(leadingKeysOf(resetMfa.handler)).toEqual(expect.arrayContaining(['TOKEN#*', 'SSOPROVIDERS', 'RATE#*']));
    });

    it('narrows every route with table access to its partition-key families: the invitation preview never reads users, API keys or SCIM tokens, org routes never token items', () => {
      // Its fair limit counts per client (RATE#).
      expect(leadingKeysOf('invitations/preview-invitation')).toEqual(['ORG#*', 'RATE#*', 'TOKEN#*']);
      expect(leadingKeysOf('public/get-public-org')).toEqual(['APIKEY#*', 'ORG#*']);
      expect(leadingKeysOf('members/list-members')).toEqual(['EMAIL#*', 'ORG#*', 'USER#*']);
      expect(leadingKeysOf('teams/list-teams')).toEqual(['ORG#*', 'USER#*']);
      expect(leadingKeysOf('audit/list-audit-events')).toEqual(['AUDIT#*', 'ORG#*', 'USER#*']);
    });

    it('gives every function the house defaults and the environment shared/config.ts reads', () => {
      const { stacks } = synthesized;
      for (const routeStack of stacks.api.routeStacks.values()) {
        const template = Template.fromStack(routeStack);
        const functions = template.findResources('AWS::Lambda::Function');
        expect(Object.keys(functions).length).toBeGreaterThan(0);
        for (const fn of Object.values(functions)) {
          expect(fn.Properties).toMatchObject({
            Runtime: lambdaRuntime().name,
            Architectures: ['arm64'],
            MemorySize: 512,
            Timeout: 10,
            Handler: 'index.handler',
            TracingConfig: { Mode: 'Active' },
            Environment: {
              Variables: {
                TABLE_NAME: { 'Fn::ImportValue': expect.stringMatching(/Data:ExportsOutputRefRosterTable/) as unknown },
                IDENTITY_MODE: 'cognito',
                USER_POOL_ID: {
                  'Fn::ImportValue': expect.stringMatching(/Identity:ExportsOutputRefIdentityUserPool/) as unknown,
                },
                // The distribution's origin, a parameter of the nested stack (see console-site.test.ts).
                APP_URL: {
                  'Fn::Join': [
                    '',
                    ['https://', { Ref: expect.stringMatching(/ConsoleDistribution.*DomainName/) as unknown }],
                  ],
                },
                MAIL_FROM: 'no-reply@example.com',
                POWERTOOLS_SERVICE_NAME: 'roster',
                POWERTOOLS_LOG_LEVEL: 'INFO',
                NODE_OPTIONS: '--enable-source-maps',
              },
            },
          });
        }
      }
    });

    it('sends every function to its own log group, kept for the configured retention', () => {
      const { stacks } = synthesized;
      for (const routeStack of stacks.api.routeStacks.values()) {
        const template = Template.fromStack(routeStack);
        const logGroups = template.findResources('AWS::Logs::LogGroup');
        const functions = Object.values(template.findResources('AWS::Lambda::Function'));
        const used = functions.map(
          (fn) => (fn.Properties as { LoggingConfig: { LogGroup: { Ref: string } } }).LoggingConfig.LogGroup.Ref,
        );
        expect(new Set(used).size).toBe(functions.length);
        for (const id of used) {
          expect(logGroups[id]?.Properties).toMatchObject({ RetentionInDays: 30 });
        }
      }
    });

    it('logs access to a log group with retention, by route key (paths carry tokens), and throttles the default stage', () => {
      const api = Template.fromStack(synthesized.stacks.api);
      api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessLogs'), 'Arn'] },
          Format: Match.stringLikeRegexp('\\$context\\.requestId.*\\$context\\.routeKey'),
        },
      });
      const format = JSON.stringify(api.findResources('AWS::ApiGatewayV2::Stage'));
      expect(format).not.toContain('$context.path');
      api.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it('answers CORS preflights for the configured origins only, without credentials', () => {
      Template.fromStack(synthesized.stacks.api).hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: {
          AllowOrigins: (CDK_CONTEXT as { corsAllowedOrigins: string[] }).corsAllowedOrigins,
          AllowCredentials: false,
          AllowHeaders: ['authorization', 'content-type'],
        },
      });
    });
  });

  describe('data stack', () => {
    it('builds the table from the shared definition: keys, eight GSIs projecting ALL, on demand', () => {
      const template = Template.fromStack(synthesized.stacks.data);
      template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: INDEX_NAMES.map((name) => ({
          IndexName: name,
          KeySchema: [
            { AttributeName: `${name}PK`, KeyType: 'HASH' },
            { AttributeName: `${name}SK`, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      });
    });

    it('keeps the data: point-in-time recovery, deletion protection, retained on stack deletion', () => {
      const template = Template.fromStack(synthesized.stacks.data);
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          Replicas: [
            Match.objectLike({
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
              DeletionProtectionEnabled: true,
            }),
          ],
        }),
      });
    });

    it('expires items by the ttl attribute and streams new and old images for the mailer', () => {
      Template.fromStack(synthesized.stacks.data).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      });
    });
  });

  describe('identity stack', () => {
    const identityStack = () => {
      if (!synthesized.stacks.identity) throw new Error('the identity stack is missing');
      return synthesized.stacks.identity;
    };

    it('creates a pool where email is the username, nobody signs up alone, and TOTP is the only MFA', () => {
      Template.fromStack(identityStack()).hasResourceProperties('AWS::Cognito::UserPool', {
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        AutoVerifiedAttributes: ['email'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      });
      Template.fromStack(identityStack()).hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
    });

    it('blocks the self-service MFA calls (SetUserMFAPreference, SetUserSettings) at the pool with a web ACL, so MFA changes go through Roster', () => {
      const stack = identityStack();
      const template = Template.fromStack(stack);
      const statements = ['setusermfapreference', 'setusersettings'].map((operation) => ({
        ByteMatchStatement: {
          FieldToMatch: { SingleHeader: { Name: 'x-amz-target' } },
          PositionalConstraint: 'EXACTLY',
          SearchString: `awscognitoidentityproviderservice.${operation}`,
          TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
        },
      }));
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        Rules: [Match.objectLike({ Action: { Block: {} }, Statement: { OrStatement: { Statements: statements } } })],
      });
      const pool = stack.identity.ownedUserPool;
      if (!pool) throw new Error('the identity stack creates its pool');
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        ResourceArn: { 'Fn::GetAtt': [stack.getLogicalId(pool.node.defaultChild as CfnElement), 'Arn'] },
      });
    });

    it('gives the SPA a public client that signs in with USER_PASSWORD_AUTH and refresh tokens only, and creates the platform_admin group', () => {
      const template = Template.fromStack(identityStack());
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 60,
        IdTokenValidity: 60,
        RefreshTokenValidity: 43200,
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        AllowedOAuthFlowsUserPoolClient: false,
      });
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'platform_admin' });
    });
  });

  describe('cdk-nag', () => {
    it('finds nothing unacknowledged: the synth passed and the validation report is empty', () => {
      const report = JSON.parse(
        readFileSync(join(synthesized.assembly.directory, 'validation-report.json'), 'utf8'),
      ) as {
        pluginReports: unknown[];
      };
      expect(report.pluginReports).toEqual([]);
    });

    it('acknowledges only the reviewed rules, each with a reason that says why', () => {
      const acknowledged = new Map<string, string>();
      for (const construct of synthesized.app.node.findAll()) {
        for (const entry of construct.node.metadata) {
          if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            acknowledged.set(id.replace(/^annotation::/i, ''), reason);
          }
        }
      }
      expect([...acknowledged.keys()].sort()).toEqual([
        'AwsSolutions-APIG4',
        // The console's distribution: no geo restriction, no WAF, the default certificate (console-site.ts).
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR2',
        'AwsSolutions-CFR4',
        'AwsSolutions-COG2',
        // CDK's BucketDeployment handler, which uploads the console (console-site.ts).
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<ConsoleBucket86B6957C.Arn>/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        // The export writer and link signer: the exports prefix of the exports bucket.
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::roster-dev-data-exports-<AWS::AccountId>-<AWS::Region>/exports/*]',
        'AwsSolutions-L1',
        // The access-log buckets of the exports bucket and of the console.
        'AwsSolutions-S1',
        'AwsSolutions-SQS3',
      ]);
      for (const reason of acknowledged.values()) expect(reason.length).toBeGreaterThan(60);
    });
  });
});

describe('Roster app, context variations', () => {
  it('turns table deletion protection off when the context says so', () => {
    const { stacks } = synthRoster({ context: { tableDeletionProtection: false } });
    Template.fromStack(stacks.data).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })],
    });
  });

  it('reads throttling, retention, log level and CORS from context, as the CLI passes them (strings)', () => {
    const { stacks } = synthRoster({
      context: {
        apiThrottlingRateLimit: '5',
        apiThrottlingBurstLimit: '10',
        logRetentionDays: '7',
        logLevel: 'debug',
        corsAllowedOrigins: 'https://admin.example.org,https://staging.example.org',
      },
    });
    const api = Template.fromStack(stacks.api);
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
    api.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://admin.example.org', 'https://staging.example.org'],
      }),
    });
    api.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    for (const routeStack of stacks.api.routeStacks.values()) {
      const template = Template.fromStack(routeStack);
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
      template.allResourcesProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }) },
      });
    }
  });

  it('imports an existing pool instead of creating one, and trusts it in the authorizer and grants', () => {
    const { stacks } = synthRoster({
      context: { existingUserPoolId: 'eu-west-1_Example1', existingUserPoolClientId: 'exampleclientid123' },
    });
    // No identity stack: one holding only imports would be an empty template, which CloudFormation refuses.
    expect(stacks.identity).toBeUndefined();
    for (const stack of [stacks.data, stacks.api, ...stacks.api.routeStacks.values()]) {
      expect(Object.keys(Template.fromStack(stack).findResources('AWS::Cognito::UserPool'))).toEqual([]);
    }
    Template.fromStack(stacks.api).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: {
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/eu-west-1_Example1']],
        },
        Audience: ['exampleclientid123'],
      },
    });
    const createOrg = ROUTES.find((r) => r.identity && r.identity.length > 0);
    if (createOrg) {
      const { template } = routeOf(stacks, createOrg);
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Resource: {
                'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':userpool/eu-west-1_Example1$')])],
              },
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ USER_POOL_ID: 'eu-west-1_Example1' }) },
      });
    }
  });

  it('fails the synth on a finding nobody acknowledged, even one cdk-nag rates a warning', () => {
    const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
    // A table without point-in-time recovery: AwsSolutions-DDB3, a cdk-nag warning.
    new Table(new Stack(app, 'Unreviewed'), 'Table', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
    addNagChecks(app);
    expect(() => app.synth()).toThrow(/AwsSolutions-DDB3/);
  });
});

describe('CloudFormation resource headroom (500 per template)', () => {
  /** `count` synthetic routes in the given areas, round robin, half of them with Cognito grants. */
  function syntheticRoutes(count: number, areas: readonly string[]): RouteDefinition[] {
    return Array.from({ length: count }, (_, i) => ({
      method: (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const)[i % 5] ?? 'GET',
      path: `/v1/synthetic/{orgId}/operation-${i}`,
      handler: `${areas[i % areas.length] ?? 'members'}/operation-${i}`,
      auth: i % 7 === 0 ? 'public' : 'jwt',
      table: { access: i % 3 === 0 ? 'read' : 'readWrite', families: ['ORG', 'USER'] },
      ...(i % 2 === 0 ? { identity: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminUserGlobalSignOut'] as const } : {}),
    }));
  }

  function resourceCounts({ stacks }: Synthesized): Record<string, number> {
    const all = [
      stacks.data,
      ...(stacks.identity ? [stacks.identity] : []),
      stacks.api,
      ...stacks.api.routeStacks.values(),
    ];
    return Object.fromEntries(
      all.map((stack) => [
        stack.node.path,
        Object.keys((Template.fromStack(stack).toJSON() as { Resources: object }).Resources).length,
      ]),
    );
  }

  function expectHeadroom(counts: Record<string, number>): void {
    console.info(
      Object.entries(counts)
        .map(([path, n]) => `${path}: ${n}`)
        .join(', '),
    );
    for (const [path, count] of Object.entries(counts)) expect(count, path).toBeLessThanOrEqual(450);
  }

  it('keeps every stack far under the limit with the current route table', () => {
    expectHeadroom(resourceCounts(synthRoster()));
  });

  it('fits sixty routes spread over the areas of the design, at about seven resources a route', () => {
    const areas = [
      'members',
      'invitations',
      'join-requests',
      'teams',
      'audit',
      'api-keys',
      'scim',
      'orgs',
      'me',
      'webhooks',
    ];
    const synthesized = synthRoster({ routes: syntheticRoutes(60, areas) });
    const counts = resourceCounts(synthesized);
    expectHeadroom(counts);
    expect(counts[synthesized.stacks.api.routeStacks.get('members')?.node.path ?? '']).toBe(6 * 7);
  });

  it('fits sixty routes even when they all sit in one area (one nested stack)', () => {
    const synthesized = synthRoster({ routes: syntheticRoutes(60, ['members']) });
    const counts = resourceCounts(synthesized);
    expectHeadroom(counts);
    expect(counts[synthesized.stacks.api.routeStacks.get('members')?.node.path ?? '']).toBe(60 * 7);
  });

  it('fails the synth, naming the stack and the fix, when one area outgrows its budget', () => {
    expect(() => synthRoster({ routes: syntheticRoutes(70, ['members']) })).toThrow(
      /MembersRoutes holds 490 CloudFormation resources, over its budget of 450.*Split its routes/s,
    );
  });
});

describe('table access narrowed on every function', () => {
  it('no route, consumer or trigger with table access takes the whole table: each names its partition-key families', () => {
    const wholeTable = DECLARED_FUNCTIONS.filter((fn) => fn.table !== 'none' && fn.table.families === undefined).map(
      (fn) => fn.handler,
    );
    expect(wholeTable).toEqual([]);
  });
});

import { describe, it, expect } from 'vitest';
import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { RouteDefinition } from '../../infra/routes.js';
import { groupRoutesByArea, pascalCase } from '../../infra/stacks/route-areas.js';
import { DEFAULT_SETTINGS, readSettings } from '../../infra/stacks/settings.js';

const settingsFrom = (context: Record<string, unknown>) => readSettings(new App({ context }).node);

describe('readSettings', () => {
  it('falls back to the documented defaults when the context is empty', () => {
    expect(settingsFrom({})).toEqual(DEFAULT_SETTINGS);
  });

  it('treats the empty strings of cdk.json as unset, so no pool is imported by default', () => {
    expect(settingsFrom({ existingUserPoolId: '', existingUserPoolClientId: '' }).existingUserPool).toBeUndefined();
  });

  it('accepts the strings `cdk -c key=value` passes for booleans, numbers and lists', () => {
    const settings = settingsFrom({
      tableDeletionProtection: 'false',
      apiThrottlingRateLimit: '20',
      scimThrottlingBurstLimit: '30',
      logRetentionDays: '14',
      corsAllowedOrigins: 'https://a.example.com, https://b.example.com',
    });
    expect(settings.tableDeletionProtection).toBe(false);
    expect(settings.apiThrottling.rateLimit).toBe(20);
    expect(settings.routeThrottling.scim).toEqual({
      rateLimit: DEFAULT_SETTINGS.routeThrottling.scim.rateLimit,
      burstLimit: 30,
    });
    expect(settings.logRetention).toBe(RetentionDays.TWO_WEEKS);
    expect(settings.corsAllowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(settingsFrom({ corsAllowedOrigins: '["https://c.example.com"]' }).corsAllowedOrigins).toEqual([
      'https://c.example.com',
    ]);
  });

  it('takes a custom console domain only with its us-east-1 certificate', () => {
    expect(
      settingsFrom({
        appDomain: 'Roster.Example.com',
        appCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-1',
      }).appDomain,
    ).toEqual({
      name: 'roster.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-1',
    });
    expect(settingsFrom({ appDomain: '', appCertificateArn: '' }).appDomain).toBeUndefined();
    expect(() => settingsFrom({ appDomain: 'roster.example.com' })).toThrow(/must be set together/);
  });

  it('imports a pool only when both its id and its client id are given', () => {
    expect(
      settingsFrom({ existingUserPoolId: 'eu-west-1_abc', existingUserPoolClientId: 'client' }).existingUserPool,
    ).toEqual({
      userPoolId: 'eu-west-1_abc',
      userPoolClientId: 'client',
    });
    expect(() => settingsFrom({ existingUserPoolId: 'eu-west-1_abc' })).toThrow(/must be set together/);
  });

  it('refuses every malformed value at once, before anything is synthesized', () => {
    expect(() =>
      settingsFrom({
        stage: 'Prod!',
        tableDeletionProtection: 'yes',
        apiThrottlingBurstLimit: '-1',
        logRetentionDays: 42,
        logLevel: 'verbose',
        corsAllowedOrigins: ['https://ok.example.com/path'],
        appDomain: 'https://roster.example.com/',
        appCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      }),
    ).toThrow(
      /stage must[\s\S]*corsAllowedOrigins[\s\S]*logRetentionDays 42[\s\S]*logLevel[\s\S]*appDomain "https[\s\S]*appCertificateArn must be[\s\S]*tableDeletionProtection[\s\S]*apiThrottlingBurstLimit/,
    );
  });
});

describe('groupRoutesByArea', () => {
  const route = (handler: string, path = `/v1/${handler}`): RouteDefinition => ({
    method: 'GET',
    path,
    handler,
    auth: 'jwt',
    table: { access: 'read', families: ['ORG'] },
  });

  it('groups routes by the handler folder, keeping table order within an area', () => {
    const areas = groupRoutesByArea([
      route('members/list-members'),
      route('orgs/get-org'),
      route('members/get-member'),
    ]);
    expect([...areas.keys()]).toEqual(['members', 'orgs']);
    expect(areas.get('members')?.map((r) => r.handler)).toEqual(['members/list-members', 'members/get-member']);
  });

  it('refuses a handler outside an area folder, a handler serving two routes, and a route defined twice', () => {
    expect(() => groupRoutesByArea([route('get-org')])).toThrow(/<area>\/<operation>/);
    expect(() => groupRoutesByArea([route('orgs/get-org', '/a'), route('orgs/get-org', '/b')])).toThrow(
      /already serves/,
    );
    expect(() => groupRoutesByArea([route('orgs/a', '/x'), route('orgs/b', '/x')])).toThrow(/defined twice/);
  });

  it('derives construct ids from kebab-case names', () => {
    expect(pascalCase('join-requests')).toBe('JoinRequests');
    expect(pascalCase('get-openapi')).toBe('GetOpenapi');
  });
});

/**
 * Route-level throttling of the routes identity providers call: each SCIM and webhook route
 * has its own limits on the stage (from CDK context, with defaults), every other route runs
 * under the stage default, and the stage is deployed after the stacks that create the routes
 * its settings name.
 */
import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { FALLBACK_ROUTES, ROUTES } from '../../infra/routes.js';
import { DEFAULT_SETTINGS } from '../../infra/stacks/settings.js';
import { synthRoster } from '../helpers/synth-roster.js';

interface StageResource {
  Properties: {
    DefaultRouteSettings?: { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number };
    RouteSettings?: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
  };
  DependsOn?: string[];
}

function stageOf(context: Record<string, unknown> = {}) {
  const { stacks } = synthRoster({ context });
  const template = Template.fromStack(stacks.api);
  const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage')) as StageResource[];
  expect(stages).toHaveLength(1);
  return { stage: stages[0]!, template, stacks };
}

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const scimRoutes = [...ROUTES, ...FALLBACK_ROUTES].filter((r) => r.auth === 'scim').map(key);
const webhookRoutes = ROUTES.filter((r) => r.auth === 'webhook').map(key);

describe('route-level throttling of SCIM and webhook routes', () => {
  it('gives every SCIM and webhook route its own default limits, and no other route any', () => {
    const { stage } = stageOf();
    const settings = stage.Properties.RouteSettings ?? {};
    expect(scimRoutes.length).toBeGreaterThan(10);
    expect(webhookRoutes.length).toBeGreaterThan(0);
    expect(Object.keys(settings).sort()).toEqual([...scimRoutes, ...webhookRoutes].sort());
    const { scim, webhook } = DEFAULT_SETTINGS.routeThrottling;
    for (const route of scimRoutes)
      expect(settings[route]).toEqual({ ThrottlingRateLimit: scim.rateLimit, ThrottlingBurstLimit: scim.burstLimit });
    for (const route of webhookRoutes)
      expect(settings[route]).toEqual({
        ThrottlingRateLimit: webhook.rateLimit,
        ThrottlingBurstLimit: webhook.burstLimit,
      });
    // Below the stage default, or the route limit would be no limit at all.
    expect(scim.rateLimit).toBeLessThan(DEFAULT_SETTINGS.apiThrottling.rateLimit);
    expect(webhook.burstLimit).toBeLessThan(DEFAULT_SETTINGS.apiThrottling.burstLimit);
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
  });

  it('names only route keys that exist, and deploys the stage after the stacks that create them', () => {
    const { stage, stacks } = stageOf();
    for (const routeKey of Object.keys(stage.Properties.RouteSettings ?? {}))
      expect([...ROUTES, ...FALLBACK_ROUTES].map(key)).toContain(routeKey);
    const dependsOn = stage.DependsOn ?? [];
    for (const area of ['scim', 'webhooks']) {
      const routeStack = stacks.api.routeStacks.get(area);
      expect(routeStack, area).toBeDefined();
      expect(
        dependsOn.some((id) => id.startsWith(`${area === 'scim' ? 'Scim' : 'Webhooks'}RoutesNestedStack`)),
        area,
      ).toBe(true);
    }
  });

  it('reads the limits from context, as the CLI passes them (strings)', () => {
    const { stage } = stageOf({
      scimThrottlingRateLimit: '3',
      scimThrottlingBurstLimit: '6',
      webhookThrottlingRateLimit: '2',
      webhookThrottlingBurstLimit: '4',
    });
    const settings = stage.Properties.RouteSettings ?? {};
    expect(settings['PATCH /scim/v2/Users/{id}']).toEqual({ ThrottlingRateLimit: 3, ThrottlingBurstLimit: 6 });
    expect(settings['POST /v1/webhooks/idp/{orgId}']).toEqual({ ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 });
  });

  it('refuses a malformed limit before anything is synthesized', () => {
    expect(() => synthRoster({ context: { webhookThrottlingBurstLimit: '-1' } })).toThrow(
      /webhookThrottlingBurstLimit/,
    );
  });
});

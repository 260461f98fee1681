import type { FallbackRouteDefinition, RouteDefinition } from '../infra/routes.js';

type Segment = { literal: string } | { param: string };

interface CompiledRoute {
  route: RouteDefinition;
  segments: Segment[];
}

export type RouteMatch = { route: RouteDefinition | FallbackRouteDefinition; pathParameters: Record<string, string> };

function compile(route: RouteDefinition): CompiledRoute {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      if (part.endsWith('+}'))
        throw new Error(`Greedy path variables belong to FALLBACK_ROUTES, not ROUTES: ${route.path}`);
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(part)?.[1];
      return param ? { param } : { literal: part };
    });
  return { route, segments };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Literal segments outrank variables, compared left to right, as API Gateway picks routes. */
function moreSpecific(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < a.segments.length; i++) {
    const aLiteral = 'literal' in (a.segments[i] ?? {});
    const bLiteral = 'literal' in (b.segments[i] ?? {});
    if (aLiteral !== bLiteral) return aLiteral ? -1 : 1;
  }
  return 0;
}

/**
 * Matches requests against the route table like an HTTP API: `{name}` takes one path segment
 * (URL-decoded into pathParameters), the most specific route wins, and a path whose routes
 * have other methods answers no match (API Gateway says 404 then, not 405).
 */
export function createRouteMatcher(
  routes: readonly RouteDefinition[],
): (method: string, rawPath: string) => RouteMatch | undefined {
  const compiled = routes.map(compile);
  return (method, rawPath) => {
    const parts = rawPath.split('/').slice(1);
    const candidates = compiled
      .filter((c) => c.route.method === method.toUpperCase() && c.segments.length === parts.length)
      .filter((c) => c.segments.every((s, i) => ('param' in s ? (parts[i] ?? '') !== '' : s.literal === parts[i])))
      .sort(moreSpecific);
    const best = candidates[0];
    if (!best) return undefined;
    const pathParameters: Record<string, string> = {};
    best.segments.forEach((s, i) => {
      if ('param' in s) pathParameters[s.param] = decode(parts[i] ?? '');
    });
    return { route: best.route, pathParameters };
  };
}

/**
 * Matches what no route did against the fallback routes, as API Gateway tries a greedy path
 * last: `/scim/v2/{proxy+}` takes any method and one or more segments below `/scim/v2/`
 * (URL-decoded into pathParameters.proxy).
 */
export function createFallbackMatcher(
  routes: readonly FallbackRouteDefinition[],
): (rawPath: string) => RouteMatch | undefined {
  const compiled = routes.map((route) => {
    const greedy = /^(.*)\/\{([A-Za-z0-9_]+)\+\}$/.exec(route.path);
    if (!greedy?.[1] || !greedy[2]) throw new Error(`A fallback route ends in a greedy path variable: ${route.path}`);
    return { route, prefix: `${greedy[1]}/`, param: greedy[2] };
  });
  return (rawPath) => {
    const found = compiled.find((c) => rawPath.startsWith(c.prefix) && rawPath.length > c.prefix.length);
    return found
      ? { route: found.route, pathParameters: { [found.param]: decode(rawPath.slice(found.prefix.length)) } }
      : undefined;
  };
}

import type { RouteDefinition } from '../infra/routes.js';

type Segment = { literal: string } | { param: string };

interface CompiledRoute {
  route: RouteDefinition;
  segments: Segment[];
}

export type RouteMatch = { route: RouteDefinition; pathParameters: Record<string, string> };

function compile(route: RouteDefinition): CompiledRoute {
  const segments = route.path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      if (part.endsWith('+}')) throw new Error(`Greedy path variables are not supported by the local server: ${route.path}`);
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
export function createRouteMatcher(routes: readonly RouteDefinition[]): (method: string, rawPath: string) => RouteMatch | undefined {
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

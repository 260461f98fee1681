import type { FallbackRouteDefinition, RouteDefinition } from '../routes.js';

/** `functions/<area>/<operation>`: both parts kebab-case. */
const HANDLER_PATTERN = /^([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)$/;

/** `list-members` → `ListMembers`: construct ids, which become part of logical ids. */
export function pascalCase(kebab: string): string {
  return kebab
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Groups the route table by area (the handler's folder), checking on the way what the
 * deployment relies on: one function per route, one route per method and path. The area,
 * not the position in the table, decides a route's stack, so adding a route never moves
 * another one between stacks (a move would delete and recreate its function).
 */
export function groupRoutesByArea<R extends RouteDefinition | FallbackRouteDefinition>(
  routes: readonly R[],
): Map<string, R[]> {
  const problems: string[] = [];
  const handlers = new Set<string>();
  const routeKeys = new Set<string>();
  const areas = new Map<string, R[]>();
  for (const route of routes) {
    const match = HANDLER_PATTERN.exec(route.handler);
    const routeKey = `${route.method} ${route.path}`;
    if (!match?.[1]) {
      problems.push(`${routeKey}: handler "${route.handler}" must be <area>/<operation> in kebab-case`);
      continue;
    }
    if (handlers.has(route.handler))
      problems.push(`${routeKey}: handler "${route.handler}" already serves another route`);
    if (routeKeys.has(routeKey)) problems.push(`${routeKey}: defined twice`);
    handlers.add(route.handler);
    routeKeys.add(routeKey);
    const area = match[1];
    areas.set(area, [...(areas.get(area) ?? []), route]);
  }
  if (problems.length > 0) throw new Error(`Invalid route table:\n- ${problems.join('\n- ')}`);
  return areas;
}

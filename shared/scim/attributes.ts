import { ScimBadRequestError } from './scim-errors.js';

/** What `attributes=` / `excludedAttributes=` ask of a resource (RFC 7644 §3.9). */
export interface AttributeSelection {
  attributes?: string[] | undefined;
  excludedAttributes?: string[] | undefined;
}

/** Attributes returned whatever is asked (RFC 7643 §7 `returned: always`). */
const ALWAYS = new Set(['id', 'schemas']);
const CORE_URN = /^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i;

/** A comma-separated attribute list as paths: lower-cased, the core URN dropped, blanks out. */
function pathsOf(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const paths = value
    .split(',')
    .map((p) => p.trim().replace(CORE_URN, '').toLowerCase())
    .filter((p) => p !== '');
  if (paths.length > 50) throw new ScimBadRequestError('invalidValue', 'At most 50 attributes may be named');
  return paths;
}

export function attributeSelectionOf(query: {
  attributes?: string | undefined;
  excludedAttributes?: string | undefined;
}): AttributeSelection {
  return { attributes: pathsOf(query.attributes), excludedAttributes: pathsOf(query.excludedAttributes) };
}

/** Whether the selection leaves out a top-level attribute (say `members`), so it need not be read. */
export function excludes(selection: AttributeSelection, attribute: string): boolean {
  const name = attribute.toLowerCase();
  if (selection.attributes) return !selection.attributes.some((p) => p === name || p.startsWith(`${name}.`));
  return selection.excludedAttributes?.includes(name) ?? false;
}

/**
 * A resource cut to the selection: `attributes` keeps the named attributes (and sub-attributes,
 * `name.givenName`; an extension's by its URN, `urn:…:enterprise:2.0:User:department`), plus
 * `id` and `schemas`; otherwise `excludedAttributes` drops those named. Names compare
 * case-insensitively (RFC 7643 §2.1); unknown names select nothing and are no error.
 */
export function selectAttributes<T extends Record<string, unknown>>(
  resource: T,
  selection: AttributeSelection,
): Partial<T> {
  const { attributes, excludedAttributes } = selection;
  if (!attributes && !excludedAttributes) return resource;
  const within = (path: string, p: string) => p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}:`);
  const keep = attributes
    ? (path: string) => attributes.some((p) => within(path, p) || within(p, path))
    : (path: string) => !(excludedAttributes ?? []).includes(path);
  return prune(resource, keep) as Partial<T>;
}

/** Top-level attributes by `keep`, and the sub-attributes of complex ones and of extensions (one level down). */
function prune(value: Record<string, unknown>, keep: (path: string) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const path = key.toLowerCase();
    if (ALWAYS.has(key)) out[key] = inner;
    else if (!keep(path)) continue;
    else if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
      // An extension's attributes are named `<urn>:<attribute>`, a complex attribute's `<name>.<sub>`.
      const separator = path.startsWith('urn:') ? ':' : '.';
      out[key] = Object.fromEntries(
        Object.entries(inner as Record<string, unknown>).filter(([sub]) =>
          keep(`${path}${separator}${sub.toLowerCase()}`),
        ),
      );
    } else out[key] = inner;
  }
  return out;
}

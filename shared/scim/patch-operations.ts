import { ScimBadRequestError } from './scim-errors.js';
import { isRecord, requireSchema } from './scim-values.js';
import { PATCH_OP_SCHEMA } from './urns.js';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

/** The PatchOp request's operations, op names in any letter case (Entra sends "Replace"). */
export function patchOperationsOf(body: Record<string, unknown>): PatchOperation[] {
  requireSchema(body, PATCH_OP_SCHEMA);
  const ops = body.Operations ?? body.operations;
  if (!Array.isArray(ops) || ops.length === 0)
    throw new ScimBadRequestError('invalidSyntax', 'Operations must be a non-empty array');
  if (ops.length > 100) throw new ScimBadRequestError('tooMany', 'At most 100 operations per request');
  return ops.map((raw, i) => {
    if (!isRecord(raw)) throw new ScimBadRequestError('invalidSyntax', `Operations[${i}] must be an object`);
    const op = typeof raw.op === 'string' ? raw.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw new ScimBadRequestError('invalidSyntax', `Operations[${i}].op must be add, replace or remove`);
    if (raw.path !== undefined && typeof raw.path !== 'string')
      throw new ScimBadRequestError('invalidPath', `Operations[${i}].path must be a string`);
    return {
      op,
      ...(raw.path !== undefined ? { path: raw.path.trim() } : {}),
      ...('value' in raw ? { value: raw.value } : {}),
    };
  });
}

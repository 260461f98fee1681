import type * as z from 'zod/mini';
import { ValidationError, type FieldProblem } from './errors.js';

/** Problems named by dotted path under `prefix`; one about the value as a whole names `prefix`, or `body`. */
function problemsOf(error: z.core.$ZodError, prefix: string): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    // An unknown key is reported on the object that holds it; name the key itself.
    if (issue.code === 'unrecognized_keys') {
      return {
        field: [prefix, ...path, issue.keys.join(',')].filter(Boolean).join('.'),
        message: `unknown field${issue.keys.length > 1 ? 's' : ''}`,
      };
    }
    return { field: [prefix, ...path].filter(Boolean).join('.') || prefix || 'body', message: issue.message };
  });
}

/** Validates a value against a schema, naming every offending field under `prefix`. */
export function validate<T>(schema: z.ZodMiniType<T>, value: unknown, prefix: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(problemsOf(result.error, prefix));
  return result.data;
}

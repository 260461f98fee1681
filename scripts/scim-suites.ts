/**
 * Replays an IdP's own SCIM suite exported from Runscope (Okta's "SCIM 2.0 SPEC Test",
 * `Okta-SCIM-20-SPEC-Test.json` in okta/okta-developer-docs) against a running Roster, as
 * Runscope would: each request step with its variables, then its assertions. The suite file is
 * read from the path given, never kept in this repository.
 *
 *   npx tsx scripts/scim-suites.ts <suite.json> <SCIM base URL> <SCIM token secret>
 *
 * The export does not carry Okta's "Initial Script" (Initial_Script_Spec.txt, pasted into
 * Runscope by hand); its variables are generated here the same way: a mixed-case
 * `Runscope123Abcdefgh456@atko.com` userName and its upper-case copy. Pauses are skipped.
 * Exits 1 when a step fails.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { oktaSpecVariables } from './okta-spec-variables.js';

interface Assertion {
  comparison: string;
  source: string;
  property?: string;
  value: string | null;
}

interface Step {
  step_type: string;
  method?: string;
  url?: string;
  note?: string;
  headers?: Record<string, string[]>;
  body?: string;
  assertions?: Assertion[];
  variables?: { name: string; source: string; property: string }[];
  scripts?: string[];
}

/** Runscope's property syntax: `Resources[0].name.familyName`. */
function propertyOf(json: unknown, property: string): unknown {
  let value: unknown = json;
  for (const part of property.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && Object.keys(v).length === 0);

/** One assertion as Runscope evaluates it; undefined when it holds, else why not. */
function check(a: Assertion, actual: unknown, expected: string | null): string | undefined {
  const shown = JSON.stringify(actual);
  switch (a.comparison) {
    case 'equal_number':
      return Number(actual) === Number(expected) ? undefined : `${shown} is not ${expected}`;
    case 'equal':
      return String(actual) === expected ? undefined : `${shown} is not "${expected}"`;
    case 'not_empty':
      return isEmpty(actual) ? 'is empty' : undefined;
    case 'is_a_number':
      return typeof actual === 'number' ? undefined : `${shown} is not a number`;
    case 'has_value':
    case 'contains':
      if (Array.isArray(actual)) return actual.includes(expected) ? undefined : `${shown} lacks "${expected}"`;
      return typeof actual === 'string' && actual.includes(expected ?? '') ? undefined : `${shown} lacks "${expected}"`;
    case 'is_less_than':
      return Number(actual) < Number(expected) ? undefined : `${shown} is not below ${expected}`;
    default:
      return `comparison ${a.comparison} not implemented by this runner`;
  }
}

async function main(): Promise<void> {
  const [file, base, secret] = process.argv.slice(2);
  if (!file || !base || !secret)
    throw new Error('usage: tsx scripts/scim-suites.ts <suite.json> <SCIM base URL> <SCIM token secret>');
  const suite = JSON.parse(readFileSync(file, 'utf8')) as { name: string; steps: Step[] };
  const vars: Record<string, string> = {
    ...oktaSpecVariables(),
    SCIMBaseURL: base.replace(/\/$/, ''),
    auth: `Bearer ${secret}`,
  };
  const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => vars[name] ?? `{{${name}}}`);
  console.log(`${suite.name}: userName ${vars.randomUsername}`);
  let passed = 0;
  let failed = 0;
  for (const step of suite.steps) {
    if (step.step_type !== 'request' || !step.method || !step.url) continue;
    const url = fill(step.url).replace(/ /g, '%20');
    const headers = Object.fromEntries(Object.entries(step.headers ?? {}).map(([k, v]) => [k, fill(v.join(', '))]));
    const started = Date.now();
    const res = await fetch(url, { method: step.method, headers, ...(step.body ? { body: fill(step.body) } : {}) });
    const text = await res.text();
    const time = Date.now() - started;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const problems: string[] = [];
    for (const a of step.assertions ?? []) {
      const actual =
        a.source === 'response_status'
          ? res.status
          : a.source === 'response_time'
            ? time
            : propertyOf(json, a.property ?? '');
      const why = check(a, actual, a.value === null ? null : fill(a.value));
      if (why) problems.push(`${a.source}${a.property ? ` ${a.property}` : ''} ${a.comparison}: ${why}`);
    }
    for (const script of step.scripts ?? []) {
      if (script.trim() === '') continue;
      // Runscope's script context: response.body, a chai-style assert and log.
      const assert = Object.assign(
        (value: unknown, message?: string) => {
          if (!value) throw new Error(message ?? 'assertion failed');
        },
        {
          ok: (value: unknown, message?: string) => {
            if (!value) throw new Error(message ?? 'assertion failed');
          },
        },
      );
      try {
        runInNewContext(script, {
          response: { body: text, status: res.status },
          assert,
          log: () => undefined,
          JSON,
          Array,
        });
      } catch (error) {
        problems.push(`script: ${(error as Error).message}`);
      }
    }
    for (const v of step.variables ?? []) {
      const value = propertyOf(json, v.property);
      if (value !== undefined) vars[v.name] = String(value);
    }
    if (problems.length === 0) passed++;
    else failed++;
    console.log(`${problems.length === 0 ? 'PASS' : 'FAIL'} ${fill(step.note ?? '')} (${step.method} ${res.status})`);
    for (const p of problems) console.log(`     ${p}\n     body: ${text.slice(0, 300)}`);
  }
  console.log(`${passed}/${passed + failed} passed`);
  if (failed > 0) process.exitCode = 1;
}

await main();

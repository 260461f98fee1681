import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { measureInitialJs } from '../../../bench/console-bundle.js';
import { CONSOLE_DIST_FIXTURE } from '../../helpers/console-dist-fixture.js';

const scratch = mkdtempSync(join(tmpdir(), 'console-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A dist folder with these files (path → content). */
function dist(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 'dist-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const gzip = (file: string) => gzipSync(readFileSync(join(CONSOLE_DIST_FIXTURE, file))).length;

describe('measureInitialJs', () => {
  it('counts the scripts index.html loads and their static imports, gzipped, but not import() chunks', async () => {
    const report = await measureInitialJs(CONSOLE_DIST_FIXTURE);
    if (report.status !== 'measured') throw new Error(report.reason);
    const initial = [
      'assets/index-B7xQ2kLm.js',
      'assets/vendor-Dk3f9aZ1.js',
      'assets/polyfill-Aa11Bb22.js',
      'assets/shared-Gg77Hh88.js',
    ];
    expect(report.scripts.map((s) => s.file).sort()).toEqual([...initial].sort());
    expect(report.scripts.find((s) => s.file === 'assets/shared-Gg77Hh88.js')?.via).toBe('assets/vendor-Dk3f9aZ1.js');
    expect(report.totalGzipBytes).toBe(initial.map(gzip).reduce((a, b) => a + b, 0));
    // The 48 KB members page is reached only through import(); the string "import(...)" is no import at all.
    expect(report.lazyChunks).toBe(1);
    expect(report.totalGzipBytes).toBeLessThan(gzip('assets/members-page-Ee55Ff66.js'));
    expect(report.verdict).toBe('PASS');
  });

  it('fails the budget when the initial scripts weigh more', async () => {
    const report = await measureInitialJs(CONSOLE_DIST_FIXTURE, 100);
    expect(report).toMatchObject({ status: 'measured', budgetBytes: 100, verdict: 'FAIL' });
  });

  it('counts inline scripts and relative script paths, and each file once', async () => {
    const dir = dist({
      'index.html':
        '<script>window.a=1</script><script type="application/json">{"x":1}</script><script type="module" src="./main.js"></script><link rel="modulepreload" href="main.js">',
      'main.js': 'import "./a.js"; import {b} from "./a.js"; export * from "./a.js";',
      'a.js': 'export const b = 1;',
    });
    const report = await measureInitialJs(dir);
    if (report.status !== 'measured') throw new Error(report.reason);
    expect(report.scripts.map((s) => s.file)).toEqual(['index.html (inline #1)', 'main.js', 'a.js']);
  });

  it('refuses a script from another origin, which the CSP would block', async () => {
    const dir = dist({ 'index.html': '<script type="module" src="https://cdn.example.com/x.js"></script>' });
    await expect(measureInitialJs(dir)).rejects.toThrow(/another origin/);
  });

  it('is skipped, with the reason, when the console is not built', async () => {
    await expect(measureInitialJs(join(scratch, 'nothing'))).resolves.toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('no console build') as unknown,
    });
  });
});

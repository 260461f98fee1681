import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { init, parse } from 'es-module-lexer';

/** Issue 14: the JavaScript a first visit downloads before the app can run, gzipped. */
export const INITIAL_JS_BUDGET_BYTES = 200 * 1024;

export interface InitialScript {
  /** Path under the dist folder, or `index.html (inline #n)`. */
  file: string;
  bytes: number;
  gzipBytes: number;
  /** How it is reached: `index.html` or the file that imports it statically. */
  via: string;
}

export type InitialJsReport =
  | {
      status: 'measured';
      distDir: string;
      scripts: InitialScript[];
      totalGzipBytes: number;
      totalBytes: number;
      budgetBytes: number;
      /** Chunks only reached by import(): loaded later, on demand; not counted. */
      lazyChunks: number;
      verdict: 'PASS' | 'FAIL';
    }
  | { status: 'skipped'; reason: string };

/** Attribute values of `<tag … attr="…">` elements matching `where`, in document order. */
function attributeValues(html: string, tag: string, attribute: string, where: (element: string) => boolean): string[] {
  const values: string[] = [];
  for (const match of html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'gi'))) {
    const element = match[0];
    if (!where(element)) continue;
    const value = new RegExp(`\\s${attribute}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(element);
    const found = value?.[1] ?? value?.[2] ?? value?.[3];
    if (found) values.push(found);
  }
  return values;
}

/** The bodies of `<script>` elements without `src` (inline scripts), JSON and templates excluded. */
function inlineScripts(html: string): string[] {
  const bodies: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attributes = match[1] ?? '';
    if (/\ssrc\s*=/i.test(attributes)) continue;
    const type = /\stype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase();
    if (type && type !== 'module' && type !== 'text/javascript' && type !== 'application/javascript') continue;
    if ((match[2] ?? '').trim()) bodies.push(match[2] ?? '');
  }
  return bodies;
}

/**
 * What index.html makes the browser fetch and run before the app renders: every `<script src>`,
 * every `<link rel="modulepreload">`, inline scripts, and, transitively, the static imports
 * (`import … from`, `import "…"`, `export … from`) of each, as es-module-lexer reads them.
 * Dynamic `import()` targets are lazy chunks, left out. Sizes are gzip at zlib's default level
 * (what a CDN's on-the-fly compression is close to), summed per file.
 */
export async function measureInitialJs(
  distDir: string,
  budgetBytes = INITIAL_JS_BUDGET_BYTES,
): Promise<InitialJsReport> {
  const indexFile = join(distDir, 'index.html');
  if (!existsSync(indexFile))
    return { status: 'skipped', reason: `no console build: ${indexFile} does not exist (build console/ first)` };
  await init;
  const root = resolve(distDir);
  const html = await readFile(indexFile, 'utf8');
  const scripts: InitialScript[] = [];
  inlineScripts(html).forEach((body, i) => {
    scripts.push({
      file: `index.html (inline #${i + 1})`,
      bytes: Buffer.byteLength(body),
      gzipBytes: gzipSync(body).length,
      via: 'index.html',
    });
  });

  /** A URL as index.html or a module names it → a file inside the dist folder (undefined: another origin). */
  const toFile = (url: string, fromFile: string): string | undefined => {
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) return undefined;
    const path = decodeURIComponent(url.split(/[?#]/)[0] ?? '');
    const file = path.startsWith('/') ? join(root, path) : resolve(dirname(fromFile), path);
    if (file !== root && !file.startsWith(root + sep))
      throw new Error(`${url} (from ${relative(root, fromFile)}) points outside ${root}`);
    return file;
  };

  const seen = new Set<string>();
  const lazy = new Set<string>();
  const queue: { file: string; via: string }[] = [];
  const enqueue = (url: string, fromFile: string, via: string) => {
    const file = toFile(url, fromFile);
    if (file === undefined)
      throw new Error(`${via} loads ${url} from another origin: the CSP (script-src 'self') would refuse it`);
    if (!seen.has(file)) {
      seen.add(file);
      queue.push({ file, via });
    }
  };
  const entries = [
    ...attributeValues(html, 'script', 'src', () => true),
    ...attributeValues(html, 'link', 'href', (element) => /\srel\s*=\s*["']?modulepreload/i.test(element)),
  ];
  for (const url of entries) enqueue(url, indexFile, 'index.html');

  while (queue.length > 0) {
    const { file, via } = queue.shift() as { file: string; via: string };
    const source = await readFile(file);
    scripts.push({ file: relative(root, file), bytes: source.length, gzipBytes: gzipSync(source).length, via });
    const [imports] = parse(source.toString('utf8'), file);
    for (const entry of imports) {
      // d === -1: a static import or re-export; d >= 0: import(); d === -2: import.meta.
      if (entry.n === undefined) continue;
      if (entry.d === -1) enqueue(entry.n, file, relative(root, file));
      else if (entry.d >= 0) {
        const target = toFile(entry.n, file);
        if (target) lazy.add(target);
      }
    }
  }
  const totalGzipBytes = scripts.reduce((sum, s) => sum + s.gzipBytes, 0);
  return {
    status: 'measured',
    distDir: root,
    scripts,
    totalGzipBytes,
    totalBytes: scripts.reduce((sum, s) => sum + s.bytes, 0),
    budgetBytes,
    lazyChunks: [...lazy].filter((file) => !seen.has(file)).length,
    verdict: totalGzipBytes <= budgetBytes ? 'PASS' : 'FAIL',
  };
}

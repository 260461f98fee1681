import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths that belong to the API or the local stack, never to the console's history fallback. */
const NOT_CONSOLE = /^\/(v1|scim|api|local)(\/|$)|^\/openapi\.json$|^\/\.well-known\//;

function sendFile(res: ServerResponse, file: string, cacheControl: string): void {
  const { size } = statSync(file);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(size),
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  });
  createReadStream(file).pipe(res);
}

/**
 * Serves the built console as CloudFront does in AWS: a file of `dist` when it exists (hashed
 * assets cached for a year, everything else revalidated), and index.html for any other GET of
 * a path without an extension, or that a browser navigates to (history fallback for console routes such as /orgs/…/members or the
 * mail links /invitations/{token}). Returns false when the request is not the console's.
 */
export function serveConsole(distDir: string, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  let path: string;
  try {
    path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
  } catch {
    return false;
  }
  if (NOT_CONSOLE.test(path)) return false;
  const file = normalize(join(distDir, path));
  if (file.startsWith(distDir + sep) && existsSync(file) && statSync(file).isFile()) {
    sendFile(res, file, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    return true;
  }
  const index = join(distDir, 'index.html');
  // As the CloudFront function in AWS: a path without a file extension is a console route (curl's
  // `*/*` included); a missing file such as /assets/x.js stays a 404 unless a browser navigates to it.
  const consoleRoute = extname(path) === '' || (req.headers.accept ?? '').includes('text/html');
  if (!consoleRoute || !existsSync(index)) return false;
  sendFile(res, index, 'no-cache');
  return true;
}

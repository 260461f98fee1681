import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DownloadLink, DownloadLinkOptions, ObjectStore } from './object-store.js';

/** The local server's route that stands in for S3's pre-signed GET. */
export const LOCAL_DOWNLOAD_PATH = '/local/exports/';

/** Keys the store accepts: the export writer's `exports/<orgId>/<exportId>.csv`, nothing that climbs out. */
const SAFE_KEY = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*\.[a-z]{1,8}$/;
const SAFE_FILENAME = /^[A-Za-z0-9._-]{1,200}$/;

export interface LocalObjectStoreOptions {
  /** Folder the objects are written under. */
  dir: string;
  /** HMAC key the download links are signed with. */
  secret: string;
  /** Origin of the server that serves the links: `http://localhost:3000`. */
  baseUrl: string;
}

/**
 * Exports as files under a folder, for `npm start` and the tests: no AWS account. A download
 * link is the local server's LOCAL_DOWNLOAD_PATH with an expiry and an HMAC-SHA256 signature
 * over key, expiry, file name and content type, as an S3 pre-signed URL signs its parameters;
 * `openDownload` refuses a link that was tampered with or has expired.
 */
export class LocalObjectStore implements ObjectStore {
  constructor(private readonly options: LocalObjectStoreOptions) {}

  async write(key: string, body: Readable, _contentType: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Written aside, then renamed: a reader never sees half a file.
    const partial = `${path}.${randomBytes(4).toString('hex')}.partial`;
    await pipeline(body, createWriteStream(partial));
    await rename(partial, path);
  }

  async downloadLink(key: string, options: DownloadLinkOptions): Promise<DownloadLink> {
    this.pathOf(key);
    if (!SAFE_FILENAME.test(options.filename)) throw new Error(`Unsafe download file name: ${options.filename}`);
    const expires = Math.floor(options.now.getTime() / 1000) + options.expiresInSeconds;
    const params = new URLSearchParams({
      expires: String(expires),
      filename: options.filename,
      type: options.contentType,
      signature: this.sign(key, expires, options.filename, options.contentType),
    });
    return {
      url: `${this.options.baseUrl}${LOCAL_DOWNLOAD_PATH}${key}?${params}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /**
   * Checks a download link (path and query as the server received them) and opens the file.
   * 403 for a bad or expired signature (as S3 answers), 404 when the object is gone.
   */
  async openDownload(
    pathAndQuery: string,
    now: Date = new Date(),
  ): Promise<
    { status: 200; body: Readable; headers: Record<string, string> } | { status: 403 | 404; message: string }
  > {
    const url = new URL(pathAndQuery, 'http://local');
    const key = decodeURIComponent(url.pathname.slice(LOCAL_DOWNLOAD_PATH.length));
    const expires = Number(url.searchParams.get('expires'));
    const filename = url.searchParams.get('filename') ?? '';
    const type = url.searchParams.get('type') ?? '';
    const signature = url.searchParams.get('signature') ?? '';
    if (!SAFE_KEY.test(key) || !SAFE_FILENAME.test(filename) || !Number.isInteger(expires))
      return { status: 403, message: 'Malformed download link' };
    const expected = Buffer.from(this.sign(key, expires, filename, type), 'hex');
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { status: 403, message: 'Signature does not match' };
    if (now.getTime() > expires * 1000) return { status: 403, message: 'Download link expired' };
    const path = this.pathOf(key);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return { status: 404, message: 'No such export' };
    return {
      status: 200,
      body: createReadStream(path),
      headers: {
        'content-type': type,
        'content-length': String(info.size),
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
      },
    };
  }

  private sign(key: string, expires: number, filename: string, contentType: string): string {
    return createHmac('sha256', this.options.secret)
      .update([key, expires, filename, contentType].join('\n'))
      .digest('hex');
  }

  /** The file of a key, refusing any key that could resolve outside the folder. */
  private pathOf(key: string): string {
    const root = resolve(this.options.dir);
    const path = resolve(join(root, key));
    if (!SAFE_KEY.test(key) || !path.startsWith(root + sep)) throw new Error(`Unsafe object key: ${key}`);
    return path;
  }
}

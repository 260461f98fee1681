import type { Readable } from 'node:stream';

/** A short-lived link that downloads one stored object, and when it stops working. */
export interface DownloadLink {
  url: string;
  /** ISO-8601 UTC instant after which the link is refused. */
  expiresAt: string;
}

export interface DownloadLinkOptions {
  /** Offered to the browser as the file name (content-disposition attachment). */
  filename: string;
  contentType: string;
  /** Seconds the link stays valid. */
  expiresInSeconds: number;
  /** The instant the link's lifetime counts from (one clock reading per request). */
  now: Date;
}

/**
 * Where large exports are written and served from: S3 in AWS (S3ObjectStore), files under a
 * folder locally (LocalObjectStore). The writer streams, so memory stays bounded by the
 * adapter's part size whatever the object's size; readers never get the object itself, only a
 * signed link to it, so the bytes never pass through a Lambda response.
 */
export interface ObjectStore {
  /** Stores the stream's bytes under `key` (replacing any object there). */
  write(key: string, body: Readable, contentType: string): Promise<void>;
  /** A pre-signed GET link for `key`, valid for `expiresInSeconds`. */
  downloadLink(key: string, options: DownloadLinkOptions): Promise<DownloadLink>;
}

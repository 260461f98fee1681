/**
 * Environment of the export store: set by the CDK app on the functions that use it (no SDK
 * import here, so the CDK app can read the names), local defaults otherwise.
 */
export const EXPORT_ENV = {
  /** The exports bucket (AWS). When unset in local mode, files under EXPORT_LOCAL_DIR. */
  bucket: 'EXPORT_BUCKET',
  /** Local mode: folder of the export files (default `.local/exports`). */
  localDir: 'EXPORT_LOCAL_DIR',
  /** Local mode: origin of the server serving download links (the local server sets it). */
  localBaseUrl: 'EXPORT_LOCAL_BASE_URL',
  /** Local mode: HMAC key of the download links (default: random, per process). */
  urlSecret: 'EXPORT_URL_SECRET',
} as const;

/** Where export files are stored in the bucket; the writer may put objects under it only. */
export const EXPORT_OBJECT_PREFIX = 'exports/';

/** The `entity` of export job items: here, with no SDK import, so the consumers table (shared/async/consumers.ts) can read it at synth. */
export const MEMBER_EXPORT_ENTITY = 'memberExport';

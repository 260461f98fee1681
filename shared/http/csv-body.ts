import { ValidationError } from '../errors.js';
import { IMPORT_MAX_BYTES } from '../imports/csv-file.js';
import { headerValue } from './parse.js';
import { rawBodyOf } from './raw-body.js';
import type { ApiEvent } from './types.js';

/** Media types a browser or curl sends a .csv file with (Windows browsers say vnd.ms-excel). */
const CSV_MEDIA_TYPE = /^\s*(text\/(csv|plain)|application\/(csv|vnd\.ms-excel))\s*(;|$)/i;

/** The uploaded file's bytes, checked for media type and size before anything reads them. */
export function uploadedCsv(event: ApiEvent): Buffer {
  const contentType = headerValue(event, 'content-type') ?? '';
  if (!CSV_MEDIA_TYPE.test(contentType)) {
    throw new ValidationError([
      {
        field: 'headers.content-type',
        message: `must be text/csv (the CSV file as the request body), not ${JSON.stringify(contentType.slice(0, 100))}`,
      },
    ]);
  }
  return rawBodyOf(event, IMPORT_MAX_BYTES);
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_DOWNLOAD_PATH, LocalObjectStore } from '../../../shared/exports/local-object-store.js';
import { S3ObjectStore, UPLOAD_PART_BYTES } from '../../../shared/exports/s3-object-store.js';

const s3 = mockClient(S3Client);
const client = new S3Client({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const store = new S3ObjectStore(client, 'roster-exports');
const NOW = new Date('2026-11-23T12:00:00.000Z');

/** `count` chunks of `size` bytes, produced lazily as a consumer pulls. */
function chunks(count: number, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < count; i++) yield Buffer.alloc(size, 97 + (i % 26));
    })(),
  );
}

beforeEach(() => s3.reset());

describe('S3ObjectStore', () => {
  it('streams a large body as a multipart upload of 5 MiB parts into the bucket and key, then completes it', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"etag-${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    // 12 MiB in 1 MiB chunks: two full parts and a 2 MiB tail.
    await store.write('exports/o/x.csv', chunks(12, 1024 * 1024), 'text/csv; charset=utf-8');

    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    // lib-storage asks for CRC32 part checksums (the SDK's default integrity protection).
    expect(s3.commandCalls(CreateMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([
      {
        Bucket: 'roster-exports',
        Key: 'exports/o/x.csv',
        ContentType: 'text/csv; charset=utf-8',
        ChecksumAlgorithm: 'CRC32',
        Body: undefined,
      },
    ]);
    const parts = s3.commandCalls(UploadPartCommand).map((c) => c.args[0].input);
    expect(parts.map((p) => [p.Bucket, p.Key, p.UploadId, p.PartNumber, (p.Body as Buffer).length])).toEqual([
      ['roster-exports', 'exports/o/x.csv', 'upload-1', 1, UPLOAD_PART_BYTES],
      ['roster-exports', 'exports/o/x.csv', 'upload-1', 2, UPLOAD_PART_BYTES],
      ['roster-exports', 'exports/o/x.csv', 'upload-1', 3, 2 * 1024 * 1024],
    ]);
    const complete = s3.commandCalls(CompleteMultipartUploadCommand)[0]?.args[0].input;
    expect(complete).toMatchObject({ Bucket: 'roster-exports', Key: 'exports/o/x.csv', UploadId: 'upload-1' });
    expect(complete?.MultipartUpload?.Parts?.map((p) => [p.PartNumber, p.ETag])).toEqual([
      [1, '"etag-1"'],
      [2, '"etag-2"'],
      [3, '"etag-3"'],
    ]);
  });

  it('sends a small body (under one part) as one PutObject', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store.write('exports/o/small.csv', Readable.from([Buffer.from('name\r\n')]), 'text/csv; charset=utf-8');
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({
      Bucket: 'roster-exports',
      Key: 'exports/o/small.csv',
      ContentType: 'text/csv; charset=utf-8',
    });
  });

  it('aborts the multipart upload when a part fails, leaving no parts behind', async () => {
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'upload-2' });
    s3.on(UploadPartCommand).rejects(new Error('S3 is down'));
    s3.on(AbortMultipartUploadCommand).resolves({});
    await expect(store.write('exports/o/y.csv', chunks(12, 1024 * 1024), 'text/csv')).rejects.toThrow(/S3 is down/);
    expect(s3.commandCalls(AbortMultipartUploadCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'roster-exports', Key: 'exports/o/y.csv', UploadId: 'upload-2' },
    ]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('pre-signs a GET of the key for 15 minutes with attachment disposition and the CSV type, without calling S3', async () => {
    const link = await store.downloadLink('exports/o/x.csv', {
      filename: 'members-o.csv',
      contentType: 'text/csv; charset=utf-8',
      expiresInSeconds: 900,
      now: NOW,
    });
    expect(s3.calls()).toHaveLength(0);
    const url = new URL(link.url);
    expect(url.hostname).toBe('roster-exports.s3.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/exports/o/x.csv');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261123T120000Z');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/20261123\/eu-west-1\/s3\/aws4_request$/);
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="members-o.csv"');
    expect(url.searchParams.get('response-content-type')).toBe('text/csv; charset=utf-8');
    expect(link.expiresAt).toBe('2026-11-23T12:15:00.000Z');
  });
});

describe('LocalObjectStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-exports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const local = new LocalObjectStore({ dir, secret: 'test-secret', baseUrl: 'http://localhost:3000' });
  const options = {
    filename: 'members-o.csv',
    contentType: 'text/csv; charset=utf-8',
    expiresInSeconds: 900,
    now: NOW,
  };
  const pathOf = (url: string) => url.slice('http://localhost:3000'.length);

  it('writes the stream to a file and serves it through a signed link until it expires', async () => {
    await local.write('exports/o/x.csv', chunks(3, 10), 'text/csv');
    const link = await local.downloadLink('exports/o/x.csv', options);
    expect(link.url.startsWith(`http://localhost:3000${LOCAL_DOWNLOAD_PATH}exports/o/x.csv?`)).toBe(true);
    expect(link.expiresAt).toBe('2026-11-23T12:15:00.000Z');
    const ok = await local.openDownload(pathOf(link.url), new Date(NOW.getTime() + 899_000));
    expect(ok.status).toBe(200);
    if (ok.status !== 200) return;
    expect(ok.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="members-o.csv"',
      'content-length': '30',
    });
    expect(await text(ok.body)).toBe('a'.repeat(10) + 'b'.repeat(10) + 'c'.repeat(10));
    expect(await local.openDownload(pathOf(link.url), new Date(NOW.getTime() + 901_000))).toMatchObject({
      status: 403,
      message: 'Download link expired',
    });
  });

  it('refuses a link with any signed part changed with 403, and a missing file with 404', async () => {
    await local.write('exports/o/x.csv', chunks(1, 5), 'text/csv');
    const link = pathOf((await local.downloadLink('exports/o/x.csv', options)).url);
    const tampered = [
      link.replace('exports/o/x.csv', 'exports/o/z.csv'),
      link.replace(/expires=\d+/, (m) => `${m}9`),
      link.replace('members-o.csv', 'members-p.csv'),
      link.replace(/type=[^&]+/, 'type=text%2Fhtml'),
      link.replace(/signature=([0-9a-f])/, (_m, c: string) => `signature=${c === '0' ? '1' : '0'}`),
      link.replace(/&signature=[0-9a-f]+/, ''),
      link.replace('exports/o/x.csv', 'exports/../../etc/passwd.csv'),
    ];
    for (const url of tampered) expect((await local.openDownload(url, NOW)).status, url).toBe(403);
    const other = new LocalObjectStore({ dir, secret: 'another-secret', baseUrl: 'http://localhost:3000' });
    expect((await other.openDownload(link, NOW)).status).toBe(403);
    const missing = pathOf((await local.downloadLink('exports/o/never-written.csv', options)).url);
    expect((await local.openDownload(missing, NOW)).status).toBe(404);
  });

  it('refuses keys that could leave its folder', async () => {
    for (const key of ['../x.csv', '/etc/passwd.csv', 'exports/../../x.csv', 'exports/o/x']) {
      await expect(local.write(key, chunks(1, 1), 'text/csv'), key).rejects.toThrow(/Unsafe object key/);
    }
  });
});

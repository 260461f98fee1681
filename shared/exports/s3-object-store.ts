import type { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { DownloadLink, DownloadLinkOptions, ObjectStore } from './object-store.js';

/**
 * Part size of the multipart upload: S3's minimum (5 MiB). With one part in flight, a writer
 * holds at most about two parts in memory (the one being filled, the one being sent).
 */
export const UPLOAD_PART_BYTES = 5 * 1024 * 1024;
const UPLOAD_QUEUE_SIZE = 1;

/** Exports in an S3 bucket: multipart upload from a stream, pre-signed GET links. */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async write(key: string, body: Readable, contentType: string): Promise<void> {
    // lib-storage sends one PutObject when the body ends within the first part, else a
    // multipart upload, aborted (leaving no parts behind) if any part fails.
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: UPLOAD_PART_BYTES,
      queueSize: UPLOAD_QUEUE_SIZE,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async downloadLink(key: string, options: DownloadLinkOptions): Promise<DownloadLink> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      // S3 answers with these headers: the browser saves the file rather than showing it.
      ResponseContentDisposition: `attachment; filename="${options.filename}"`,
      ResponseContentType: options.contentType,
    });
    // Signed with the function role's temporary credentials: S3 also refuses the link once
    // those expire, which Lambda's rotation keeps well beyond a 15-minute link in practice.
    const url = await getSignedUrl(this.s3, command, { expiresIn: options.expiresInSeconds, signingDate: options.now });
    return { url, expiresAt: new Date(options.now.getTime() + options.expiresInSeconds * 1000).toISOString() };
  }
}

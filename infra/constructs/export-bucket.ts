import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EXPORT_ENV, EXPORT_OBJECT_PREFIX } from '../../shared/exports/export-env.js';
import type { ApiFunction } from './api-function.js';

/**
 * Where large member exports are written (shared/exports/): private, S3-managed encryption,
 * TLS only, and every object deleted a day after it is written (the export job's item has the
 * same TTL; a download link lives 15 minutes, so a day is ample to use one). No versioning:
 * each export is written once under a fresh key, nothing is ever overwritten that would need
 * recovering, and versions would only keep member data past the day it should disappear.
 * Access is logged to a second bucket, kept 90 days, so each download of member data has a trace.
 */
export class ExportBucket extends Construct {
  readonly bucket: Bucket;
  /**
   * `<data stack name>-exports-<account>-<region>`: built from pseudo parameters, so the stacks
   * that are granted on the bucket name it themselves, with no cross-stack export (and the
   * grants' cdk-nag findings read the same in every stage).
   */
  readonly bucketName: string;
  readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // S3 log delivery through a bucket policy, not the deprecated LogDeliveryWrite ACL (for these
    // buckets only; the app's other feature flags are untouched). Must precede the children.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    this.accessLogBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the exports bucket: logging its own access would need a ' +
        'third bucket, and so on. It is private, encrypted, TLS-only, written only by the S3 logging service.',
    });

    const prefix = `${Stack.of(this)
      .stackName.toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')}-exports`;
    // S3 names are at most 63 characters: the account id takes 12, the longest region 14.
    if (prefix.length > 63 - 12 - 14 - 2)
      throw new Error(`${prefix}: the exports bucket name would pass S3's 63 characters; use a shorter stage name`);
    this.bucketName = `${prefix}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: this.bucketName,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'exports-bucket/',
      lifecycleRules: [
        {
          prefix: EXPORT_OBJECT_PREFIX,
          expiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // Holds nothing older than a day: a stack deletion succeeds once the lifecycle has emptied it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** The export writer: put (and abort its own multipart uploads) under the exports prefix, nothing else. */
  grantWriteExports(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resourceArns: [this.exportObjectsArn()],
    });
  }

  /** The status function: s3:GetObject under the exports prefix, which a pre-signed GET link is signed with. */
  grantPresignExports(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [this.exportObjectsArn()] });
  }

  /** Every object under the exports prefix: the pseudo parameters resolve in the grantee's own stack. */
  exportObjectsArn(): string {
    return `arn:${Aws.PARTITION}:s3:::${this.bucketName}/${EXPORT_OBJECT_PREFIX}*`;
  }

  /** Grants `access` and tells the function the bucket's name (EXPORT_BUCKET). */
  attach(fn: ApiFunction, access: 'write' | 'presign'): void {
    if (access === 'write') this.grantWriteExports(fn);
    else this.grantPresignExports(fn);
    fn.function.addEnvironment(EXPORT_ENV.bucket, this.bucketName);
    Validations.of(fn).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${EXPORT_OBJECTS_ARN_AS_NAGGED(Stack.of(this).stackName)}]`,
      reason:
        'Export files get a fresh key per export (exports/<orgId>/<exportId>.csv), so the grant names ' +
        'the exports prefix, not single objects; the actions are only PutObject/AbortMultipartUpload ' +
        '(writer) or GetObject (link signer), in this one bucket.',
    });
  }
}

/** How cdk-nag renders exportObjectsArn() in a finding (pseudo parameters as `<AWS::…>`). */
const EXPORT_OBJECTS_ARN_AS_NAGGED = (dataStackName: string) =>
  `arn:<AWS::Partition>:s3:::${dataStackName.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-exports-<AWS::AccountId>-<AWS::Region>/${EXPORT_OBJECT_PREFIX}*`;

import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger of every function. Its own module so that domain code can log
 * without importing the HTTP edge (`shared/http`), which sits above the domain.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'roster' });

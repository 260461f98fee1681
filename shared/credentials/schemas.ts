import * as z from 'zod/mini';
import { emailAddress } from '../schemas.js';

export const tokenPathParams = z.object({
  token: z
    .string()
    .check(z.minLength(20), z.maxLength(200), z.regex(/^[A-Za-z0-9_-]+$/, 'is not a token Roster issued')),
});
export const emailConfirmedResponse = z.object({ userId: z.string(), email: z.string() });
export const forgotPasswordBody = z.strictObject({ email: emailAddress });
export const completePasswordResetBody = z.strictObject({
  password: z.string().check(z.minLength(1), z.maxLength(256)),
});

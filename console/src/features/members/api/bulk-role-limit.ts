/**
 * Most members one bulk role change takes (the API's bulkRoleBody: every member's entries fit
 * one DynamoDB transaction). Its own module, without imports, so a unit test compares it with the API's.
 */
export const BULK_ROLE_LIMIT = 19;

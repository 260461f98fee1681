/** DynamoDB's limit on the actions of one TransactWriteItems (a module of its own: schemas use it without the SDK). */
export const TRANSACTION_ACTION_LIMIT = 100;

/** The account and region a local Portico pretends to be in, as SAM local and LocalStack do. */
export const AWS_ACCOUNT_ID = "123456789012";
export const AWS_REGION = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";

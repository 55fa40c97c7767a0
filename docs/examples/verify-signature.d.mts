export function verifySignature(secret: string, rawBody: string, header: string | undefined, toleranceSeconds?: number): boolean;

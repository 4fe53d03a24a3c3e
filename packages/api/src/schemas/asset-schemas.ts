import { z } from 'zod';

export const assetQuery = z.object({ token: z.string().max(4000).optional().describe('From POST /v1/assets/{id}/signed-url') });

export const signRequest = z.object({ expires_in: z.number().int().min(60).max(7 * 24 * 3600).default(3600).describe('Seconds the URL stays valid (60 s to 7 days)') }).strict();

export const signedUrl = z.object({ url: z.string().describe('Under the server\'s base path, with a `token` query'), expires_at: z.string() }).meta({ id: 'SignedUrl' });

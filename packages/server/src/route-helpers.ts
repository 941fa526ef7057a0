import { z } from '@hono/zod-openapi';
import { errorSchema } from './schemas.js';

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

/** The error responses every API route may give. */
export const errorResponses = {
  400: jsonContent(errorSchema, 'Invalid request'),
  401: jsonContent(errorSchema, 'Not signed in'),
  403: jsonContent(errorSchema, 'Not allowed for this role or token, or a cross-site request'),
  404: jsonContent(errorSchema, 'Not found'),
  409: jsonContent(errorSchema, 'Conflict'),
  413: jsonContent(errorSchema, 'Body too large'),
  415: jsonContent(errorSchema, 'Wrong content type'),
  422: jsonContent(errorSchema, 'Well-formed but not acceptable content'),
} as const;

export const cookieAuth = [{ session: [] }, { token: [] }];

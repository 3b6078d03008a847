import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/** Every error body, public API and admin API alike (`api/http/problem.ts` writes it). */
export const problem = z
  .object({
    type: z.string().optional(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string(),
    errors: z.array(z.object({ code: z.string(), message: z.string() })),
    traceId: z.string(),
    requestId: z.string(),
    activityId: z.string(),
  })
  .openapi('ProblemDetails');

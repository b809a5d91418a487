import { z } from 'zod';
import { Instant } from '../ids';
import type { LogsResult as LogsResultType, ReadLogsInput as ReadLogsInputType } from './logs';

/** Checks the logs call (core/desktop/logs.ts) where it crosses into main or the renderer. */
export const ReadLogsInput = z.object({}).strict() satisfies z.ZodType<ReadLogsInputType>;

const LogTail = z
  .object({
    file: z.string().min(1),
    size: z.number().int().nonnegative(),
    modifiedAt: Instant,
    text: z.string(),
    truncated: z.boolean(),
  })
  .strict();

export const LogsResult = z.union([
  z.object({ ok: z.literal(true), value: z.array(LogTail) }).strict(),
  z
    .object({
      ok: z.literal(false),
      code: z.enum(['UNAUTHENTICATED', 'BAD_REQUEST', 'INTERNAL']),
      message: z.string(),
    })
    .strict(),
]) satisfies z.ZodType<LogsResultType>;

import pino, { type Logger } from 'pino';

/** Structured JSON logs on stderr (stdout carries only the LISTENING line). */
export function createLogger(level: string = process.env['LOG_LEVEL'] ?? 'info'): Logger {
  return pino({ level, base: { service: 'tillpoint-server' } }, pino.destination(2));
}

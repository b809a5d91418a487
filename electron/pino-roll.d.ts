// pino-roll ships no types; this is the part of its API electron/logs.ts uses.
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino';
  interface PinoRollOptions {
    file: string;
    size?: string | number;
    extension?: string;
    mkdir?: boolean;
    limit?: { count?: number };
  }
  export default function pinoRoll(
    options: PinoRollOptions,
  ): Promise<DestinationStream & { end(): void; once(event: 'close', listener: () => void): void }>;
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** Who may read GET /metrics (config `metrics`). */
export interface MetricsAccess {
  /** The bearer token that opens it from anywhere; null: loopback only (if allowed). */
  readonly token: string | null;
  /** Loopback callers need no token. */
  readonly loopback: boolean;
}

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6. */
export function isLoopback(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether a scrape from `address` with this Authorization header is answered. The token is
 * compared in constant time (on digests, so its length leaks nothing either).
 */
export function metricsAllowed(
  access: MetricsAccess,
  address: string,
  authorization: string | undefined,
): boolean {
  if (access.loopback && isLoopback(address)) return true;
  if (access.token === null || authorization === undefined) return false;
  const given = /^Bearer (\S+)$/.exec(authorization)?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(access.token));
}

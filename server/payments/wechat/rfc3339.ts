/**
 * WeChat Pay wants instants as RFC 3339 with the China offset, e.g.
 * 2018-06-08T10:34:56+08:00 (Native下单 time_expire). China keeps no summer
 * time, so a fixed +08:00 is exact; seconds are whole.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;

export function rfc3339China(at: Date): string {
  const shifted = new Date(Math.floor(at.getTime() / 1000) * 1000 + CHINA_OFFSET_MS);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}

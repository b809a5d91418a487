import type { StoreId } from '../../../core/ids';
import type { AuditQuery } from '../../../core/protocol/index';
import { addDays, LocalDate } from '../../../core/reports/days';
import { startOfLocalDay, toInstant } from '../../../core/time';

/**
 * The audit log's filters as the console keeps them in its URL
 * (?actor=&store=&action=&from=&to=), so a copied link shows the same entries. Dates are the
 * chain's local days, `to` included. Parsing never fails: a broken value is dropped, a reversed
 * range is put the right way round.
 */
export interface AuditFilters {
  readonly actor: string;
  readonly storeId: StoreId | null;
  readonly action: string;
  readonly from: LocalDate | null;
  readonly to: LocalDate | null;
}

export type AuditFilterName = 'actor' | 'store' | 'action' | 'from' | 'to';

/** Store ids are slugs (core/ids.ts); anything else in the URL is ignored rather than sent. */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const text = (value: string | null, max: number) => (value ?? '').trim().slice(0, max);
const date = (value: string | null): LocalDate | null =>
  value !== null && LocalDate.safeParse(value).success ? value : null;

export function parseAuditFilters(params: URLSearchParams): AuditFilters {
  let from = date(params.get('from'));
  let to = date(params.get('to'));
  if (from !== null && to !== null && from > to) [from, to] = [to, from];
  const store = params.get('store');
  return {
    actor: text(params.get('actor'), 200),
    storeId: store !== null && SLUG.test(store) ? (store as StoreId) : null,
    action: text(params.get('action'), 100),
    from,
    to,
  };
}

/** `params` with the given filters set (an empty value removes one); other parameters are kept. */
export function withAuditFilters(
  params: URLSearchParams,
  changes: Partial<Record<AuditFilterName, string>>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value.trim() === '') next.delete(name);
    else next.set(name, value.trim());
  }
  return next;
}

const startOf = (day: LocalDate): string => {
  const [y, m, d] = day.split('-').map(Number);
  return toInstant(startOfLocalDay(y ?? 0, m ?? 1, d ?? 1));
};

/** The filters as the audit route takes them: whole local days, the last one included. */
export function auditQuery(f: AuditFilters): Omit<AuditQuery, 'after' | 'limit'> {
  return {
    ...(f.actor !== '' ? { actor: f.actor } : {}),
    ...(f.storeId !== null ? { storeId: f.storeId } : {}),
    ...(f.action !== '' ? { action: f.action } : {}),
    ...(f.from !== null ? { from: startOf(f.from) } : {}),
    ...(f.to !== null ? { to: startOf(addDays(f.to, 1)) } : {}),
  };
}

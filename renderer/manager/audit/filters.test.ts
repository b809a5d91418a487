import { describe, expect, it } from 'vitest';
import { auditQuery, parseAuditFilters, withAuditFilters } from './filters';

const parse = (query: string) => parseAuditFilters(new URLSearchParams(query));

describe('audit log filters in the URL', () => {
  it('asks for the whole log when the link holds no filter', () => {
    expect(auditQuery(parse(''))).toEqual({});
  });

  it('turns local days into instants, the last day included (Asia/Shanghai is UTC+8)', () => {
    const f = parse('actor=u-1&store=sh-001&action=batch.created&from=2026-12-01&to=2026-12-03');
    expect(auditQuery(f)).toEqual({
      actor: 'u-1',
      storeId: 'sh-001',
      action: 'batch.created',
      from: '2026-11-30T16:00:00.000Z',
      to: '2026-12-03T16:00:00.000Z',
    });
  });

  it('puts a reversed range the right way round and drops what is not a date or a store id', () => {
    expect(parse('from=2026-12-03&to=2026-12-01')).toMatchObject({
      from: '2026-12-01',
      to: '2026-12-03',
    });
    expect(parse('from=yesterday&to=2026-02-30&store=a b')).toMatchObject({
      from: null,
      to: null,
      storeId: null,
    });
  });

  it('sets and clears filters, keeping the other parameters', () => {
    const next = withAuditFilters(new URLSearchParams('actor=u-1&x=1'), {
      actor: '',
      action: ' sale.recorded ',
    });
    expect(next.toString()).toBe('x=1&action=sale.recorded');
  });
});

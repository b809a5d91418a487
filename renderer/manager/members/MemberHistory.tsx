import { useEffect, useState } from 'react';
import { localInstant, money } from '../../../core/messages/format';
import type {
  MemberClaim,
  MemberRedemption,
  MemberSale,
  MemberHistoryQuery,
} from '../../../core/protocol/index';
import type { ApiResult } from '../../data/api-client';
import { api, useFailureText, useT } from '../app/api';
import type { T } from '../i18n/strings';

export type HistoryKind = 'claims' | 'redemptions' | 'sales';

interface Page<R> {
  readonly rows: readonly R[];
  readonly next: string | null;
}

const PAGE = 20;

async function pageOf(
  kind: HistoryKind,
  id: string,
  after: string | null,
): Promise<ApiResult<Page<Row>>> {
  const query: MemberHistoryQuery = { limit: PAGE, ...(after ? { after } : {}) };
  const input = { params: { id }, query };
  switch (kind) {
    case 'claims': {
      const r = await api.call('memberClaims', input);
      return r.ok ? { ok: true, value: { rows: r.value.claims, next: r.value.next } } : r;
    }
    case 'redemptions': {
      const r = await api.call('memberRedemptions', input);
      return r.ok ? { ok: true, value: { rows: r.value.redemptions, next: r.value.next } } : r;
    }
    case 'sales': {
      const r = await api.call('memberSales', input);
      return r.ok ? { ok: true, value: { rows: r.value.sales, next: r.value.next } } : r;
    }
  }
}

type Row = MemberClaim | MemberRedemption | MemberSale;

interface Column {
  readonly head: string;
  readonly num?: boolean;
  readonly id?: boolean;
}

/** The columns of a history and a row's cells in their order. */
function table(kind: HistoryKind, t: T): { columns: Column[]; cells: (row: Row) => string[] } {
  switch (kind) {
    case 'claims':
      return {
        columns: [
          { head: t('colClaimedAt') },
          { head: t('colCode'), id: true },
          { head: t('colClaimPage') },
          { head: t('colStore') },
          { head: t('colCodeState') },
        ],
        cells: (r) => {
          const c = r as MemberClaim;
          return [
            localInstant(c.claimedAt),
            c.code,
            c.pageTitle,
            c.storeId,
            t(`codeState_${c.codeState}`),
          ];
        },
      };
    case 'redemptions':
      return {
        columns: [
          { head: t('colAt') },
          { head: t('colCode'), id: true },
          { head: t('colStore') },
          { head: t('colStatus') },
          { head: t('colDiscount'), num: true },
          { head: t('colSale'), id: true },
        ],
        cells: (r) => {
          const x = r as MemberRedemption;
          return [
            localInstant(x.at),
            x.code,
            x.storeId,
            x.status,
            money(x.discountFen),
            x.saleId?.slice(-8) ?? '—',
          ];
        },
      };
    case 'sales':
      return {
        columns: [
          { head: t('colAt') },
          { head: t('colSale'), id: true },
          { head: t('colStore') },
          { head: t('colSaleState') },
          { head: t('colSubtotal'), num: true },
          { head: t('colDiscount'), num: true },
          { head: t('colDue'), num: true },
        ],
        cells: (r) => {
          const s = r as MemberSale;
          return [
            localInstant(s.at),
            s.id.slice(-8),
            s.storeId,
            t(`saleState_${s.state}`),
            money(s.subtotalFen),
            money(s.discountFen),
            money(s.dueFen),
          ];
        },
      };
  }
}

const classOf = (c: Column | undefined): string | undefined =>
  c?.num ? 'num' : c?.id ? 'id' : undefined;

/** One of a member's histories, newest first; "load more" appends the next page. */
export function MemberHistory({
  kind,
  memberId,
}: {
  readonly kind: HistoryKind;
  readonly memberId: string;
}) {
  const t = useT();
  const failureText = useFailureText();
  const [rows, setRows] = useState<readonly Row[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | string>('loading');

  async function load(after: string | null) {
    setState('loading');
    const r = await pageOf(kind, memberId, after);
    if (!r.ok) return setState(failureText(r));
    setRows((before) => (after ? [...before, ...r.value.rows] : r.value.rows));
    setNext(r.value.next);
    setState('ready');
  }
  useEffect(() => {
    void load(null);
    // A new member or another history starts from the first page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind, memberId]);

  const { columns, cells } = table(kind, t);
  return (
    <div data-testid={`member-${kind}`}>
      {kind === 'claims' && <p className="help">{t('memberClaimsHelp')}</p>}
      {rows.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.head} className={c.num ? 'num' : undefined}>
                  {c.head}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, n) => (
              <tr key={n}>
                {cells(row).map((cell, i) => (
                  <td key={i} className={classOf(columns[i])}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {state === 'loading' && <p>{t('loading')}</p>}
      {state !== 'loading' && state !== 'ready' && (
        <p className="error" role="alert">
          {state}
        </p>
      )}
      {state === 'ready' && rows.length === 0 && <p className="empty">{t('memberNoHistory')}</p>}
      {state === 'ready' && next && (
        <div className="pager">
          <button onClick={() => void load(next)}>{t('memberMore')}</button>
        </div>
      )}
    </div>
  );
}

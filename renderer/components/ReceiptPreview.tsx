import { useMemo, type CSSProperties } from 'react';
import QRCode from 'qrcode';
import type { Locale } from '../../core/messages/format';
import { code128Bars, code128Modules, type Code128Segment } from '../../core/receipt/code128';
import {
  fitPrintable,
  REPLACEMENT_MARK,
  type TextSubstitution,
} from '../../core/receipt/printable-text';
import type { ReceiptLayout, ReceiptRow } from '../../core/receipt/rows';
import { CODE128_HEIGHT_DOTS, CODE128_MODULE_DOTS } from '../../core/receipt/scan-code';
import { layoutPrintable } from '../../core/receipt/shift-layout';
import type { PrintableReceipt } from '../../core/receipt/shift-model';
import { charWidth } from '../../core/receipt/width';
import { assertNever } from '../../core/result';
import { translator } from '../i18n/strings';
import './receipt-preview.css';

/**
 * The receipt as the printer prints it, drawn in printer dots (203 dpi, 8 dots
 * a millimetre): font A is 12 x 24 dots, so every column is 12 dots and every
 * wide (GB18030 multi-byte) character 24. Each run of characters gets its
 * width from those numbers, not from the font, so the columns line up on
 * screen exactly where they line up on paper, whatever CJK font is present.
 * Row text goes through the same fitPrintable the ESC/POS encoder uses, so a
 * character the printer's GBK font lacks shows here as it prints: as its GBK
 * form, or as the replacement mark □, which the preview highlights and
 * explains.
 */

/** Dots across the printable area and the paper: 48 mm / 58 mm and 72 mm / 80 mm at 8 dots/mm. */
const PAPER = {
  32: { paperMm: 58, paperDots: 464 },
  48: { paperMm: 80, paperDots: 640 },
} as const;
const CELL_DOTS = 12;
/** One printed line: 24-dot characters plus the default 1/6-inch line spacing (about 30 dots). */
const LINE_DOTS = 30;
/** GS ( k module size the encoder uses (native/escpos/receipt.ts). */
const QR_MODULE_DOTS = { 32: 5, 48: 6 } as const;

interface CommonProps {
  /** Language of the preview's own words (caption, marks); the receipt carries its own. */
  readonly locale?: Locale;
  /** Whether the printer cuts; without a cutter the paper is torn off instead. */
  readonly cut?: boolean;
  /** Screen pixels per printer dot. */
  readonly dot?: number;
}

export type ReceiptPreviewProps = CommonProps &
  (
    | { readonly receipt: PrintableReceipt; readonly columns: 32 | 48 }
    | { readonly layout: ReceiptLayout; readonly receipt?: undefined }
  );

/** A row's text cut into runs: narrow (ASCII) characters together, each wide character alone. */
export function textRuns(text: string): { readonly text: string; readonly cells: number }[] {
  const runs: { text: string; cells: number }[] = [];
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0) ?? 0);
    if (w === 0) continue;
    const last = runs[runs.length - 1];
    if (w === 1 && last !== undefined && last.cells === last.text.length) {
      last.text += ch;
      last.cells += 1;
    } else {
      runs.push({ text: ch, cells: w });
    }
  }
  return runs;
}

/** The QR symbol of `data` (model 2, level M, as the printer makes it) as one SVG path. */
export function qrPath(data: string): { readonly size: number; readonly d: string } {
  const { modules } = QRCode.create(data, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let y = 0; y < modules.size; y++) {
    let x = 0;
    while (x < modules.size) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < modules.size && modules.get(y, x)) x++;
      d += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  }
  return { size: modules.size, d };
}

function QrRow({ data, moduleDots }: { readonly data: string; readonly moduleDots: number }) {
  const { size, d } = useMemo(() => qrPath(data), [data]);
  const style = { '--qr-dots': size * moduleDots } as CSSProperties;
  return (
    <div className="rp-qr" style={style}>
      <svg
        viewBox={`0 0 ${size} ${size}`}
        role="img"
        aria-label={`QR ${data}`}
        data-qr={data}
        shapeRendering="crispEdges"
      >
        <path d={d} fill="#111" />
      </svg>
    </div>
  );
}

/** The Code 128 symbol the printer draws from these code sets, bar for bar, at its module width. */
export function code128Path(segments: readonly Code128Segment[]): {
  readonly modules: number;
  readonly d: string;
} {
  const d = code128Bars(segments)
    .map(([x, width]) => `M${x} 0h${width}v1h${-width}z`)
    .join('');
  return { modules: code128Modules(segments), d };
}

function Code128Row({ row }: { readonly row: Extract<ReceiptRow, { kind: 'code128' }> }) {
  const { modules, d } = useMemo(() => code128Path(row.segments), [row.segments]);
  const style = {
    '--bar-dots': modules * CODE128_MODULE_DOTS,
    '--bar-height-dots': CODE128_HEIGHT_DOTS,
  } as CSSProperties;
  return (
    <div className="rp-code128" style={style}>
      <svg
        viewBox={`0 0 ${modules} 1`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Code 128 ${row.data}`}
        data-code128={row.data}
        shapeRendering="crispEdges"
      >
        <path d={d} fill="#111" />
      </svg>
    </div>
  );
}

interface RowProps {
  readonly row: ReceiptRow;
  readonly columns: 32 | 48;
  /** Set when a mark in the text stands for a character the printer cannot print. */
  readonly markTitle: string | null;
}

function Row({ row, columns, markTitle }: RowProps) {
  switch (row.kind) {
    case 'text': {
      const cls = `rp-row rp-${row.align}${row.bold ? ' rp-bold' : ''}${row.large ? ' rp-large' : ''}`;
      return (
        <div className={cls} data-text={row.text}>
          {textRuns(row.text).map((run, i) => {
            const replaced = markTitle !== null && run.text === REPLACEMENT_MARK;
            const kind = run.cells === 2 && run.text.length === 1 ? 'rp-wide' : 'rp-narrow';
            return (
              <span
                key={i}
                className={replaced ? `${kind} rp-replaced` : kind}
                style={{ '--cells': run.cells } as CSSProperties}
                title={replaced ? markTitle : undefined}
                data-replaced={replaced ? '' : undefined}
              >
                {run.text}
              </span>
            );
          })}
        </div>
      );
    }
    case 'qr':
      return <QrRow data={row.data} moduleDots={QR_MODULE_DOTS[columns]} />;
    case 'code128':
      return <Code128Row row={row} />;
    case 'feed':
      return <div className="rp-feed" style={{ '--lines': row.lines } as CSSProperties} />;
    case 'cut':
      return null;
    default:
      return assertNever(row, 'receipt row');
  }
}

/**
 * The rows as the encoder sends them: text fitted by the same function
 * (a no-op for layoutReceipt's rows, which are fitted already), with every
 * substitution the layout made or this fitting found.
 */
export function printedLayout(layout: ReceiptLayout): {
  readonly rows: readonly ReceiptRow[];
  readonly substitutions: readonly TextSubstitution[];
} {
  const substitutions = [...layout.substitutions];
  const rows = layout.rows.map((row): ReceiptRow => {
    if (row.kind !== 'text') return row;
    const fitted = fitPrintable(row.text);
    for (const s of fitted.substitutions)
      if (!substitutions.some((t) => t.original === s.original)) substitutions.push(s);
    return fitted.text === row.text ? row : { ...row, text: fitted.text };
  });
  return { rows, substitutions };
}

/** A receipt on a strip of 58 mm or 80 mm paper, exactly as the printer lays it out. */
export function ReceiptPreview(props: ReceiptPreviewProps) {
  const { locale = 'zh-CN', cut = true, dot = 0.9 } = props;
  const t = translator(locale);
  const receipt = props.receipt;
  const given = 'layout' in props ? props.layout : undefined;
  const columns = given?.columns ?? ('columns' in props ? props.columns : 48);
  const layout = useMemo(
    () => given ?? (receipt === undefined ? null : layoutPrintable(receipt, columns)),
    [given, receipt, columns],
  );
  const printed = useMemo(() => (layout === null ? null : printedLayout(layout)), [layout]);
  // A sale's receipt carries its marks; a shift report prints its own state.
  const sale = receipt === undefined || 'kind' in receipt ? undefined : receipt;
  if (layout === null || printed === null) return null;
  const paper = PAPER[layout.columns];
  const markTitle = printed.substitutions.some((s) => s.printed === REPLACEMENT_MARK)
    ? t('replacedMark')
    : null;
  const hasCut = layout.rows.some((r) => r.kind === 'cut');
  const style = {
    '--dot': `${dot}px`,
    '--paper-dots': paper.paperDots,
    '--print-dots': layout.columns * CELL_DOTS,
    '--line-dots': LINE_DOTS,
  } as CSSProperties;
  return (
    <figure
      className="receipt-preview"
      style={style}
      data-testid="receipt-preview"
      data-columns={layout.columns}
      aria-label={t('receiptPreview')}
    >
      <figcaption className="rp-caption">
        <span>
          {paper.paperMm} mm · {t('columnsShort', { n: layout.columns })}
        </span>
        {sale?.pendingSync === true && (
          <span className="rp-mark rp-mark-pending" data-testid="receipt-pending">
            {t('pendingSyncMark')}
          </span>
        )}
        {sale !== undefined && sale.reprintedAt !== null && (
          <span className="rp-mark rp-mark-reprint" data-testid="receipt-reprint">
            {t('reprintMark')}
          </span>
        )}
      </figcaption>
      {printed.substitutions.length > 0 && (
        <div className="rp-substitutions" data-testid="receipt-substitutions" role="note">
          <span>{t('substituted')}</span>
          <ul>
            {printed.substitutions.map((s) => (
              <li key={s.original} data-original={s.original} data-printed={s.printed}>
                {s.original}
                {' → '}
                <span
                  className={
                    s.printed === REPLACEMENT_MARK ? 'rp-sub-printed rp-replaced' : 'rp-sub-printed'
                  }
                >
                  {s.printed}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="rp-paper">
        <div className="rp-print">
          {printed.rows.map((row, i) => (
            <Row key={i} row={row} columns={layout.columns} markTitle={markTitle} />
          ))}
        </div>
        {hasCut && cut ? (
          <div className="rp-cut" aria-hidden="true">
            <span>✂ {t('cutHere')}</span>
          </div>
        ) : (
          <div className="rp-tear" aria-hidden="true" />
        )}
      </div>
    </figure>
  );
}

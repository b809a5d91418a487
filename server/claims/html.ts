import { formatLocalDateTime } from '../../core/time';
import type { ClaimedCode, ClaimOutcome } from './claim';
import { BARCODE_MAX, codeRef, qrSvg } from './images';

/**
 * The customer's claim page and the counter poster, server-rendered zh-CN HTML for the WeChat
 * browser: no script at all, one style element allowed by its nonce (routes/claims.ts sets the
 * CSP). A claimed code's QR and barcode are images of this server (images.ts); the poster's
 * QR is inline SVG made here.
 */

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f1ec;color:#222}
main{max-width:420px;margin:0 auto;padding:24px 18px}
h1{font-size:22px;margin:0 0 6px}
.batch{color:#555;margin:0 0 18px}
.card{background:#fff;border-radius:12px;padding:20px;box-shadow:0 1px 4px rgba(0,0,0,.08);text-align:center}
.stock{font-size:14px;color:#555;margin:12px 0 0}
button{width:100%;font-size:18px;padding:14px;border:0;border-radius:10px;background:#0b6e4f;color:#fff}
.qr img,.qr svg{width:220px;height:220px}
.bar img{width:100%;height:80px}
.code{font:600 18px/1.4 ui-monospace,Menlo,monospace;letter-spacing:1px;margin:8px 0;word-break:break-all}
.hint{font-size:14px;color:#444}
.notice{background:#fff4d6;border-radius:8px;padding:10px;margin:0 0 14px;font-size:15px}
.poster{max-width:560px;text-align:center}
.poster h1{font-size:34px}
.poster .qr svg{width:100%;max-width:340px;height:auto}
@media print{body{background:#fff}.card{box-shadow:none;border:1px solid #999}}
`;

const REASONS: Readonly<Record<Exclude<ClaimOutcome, { ok: true }>['reason'], string>> = {
  NOT_FOUND: '找不到这个领券页面。',
  SOLD_OUT: '券已领完，感谢关注。',
  SOLD_OUT_TODAY: '今天的券已领完，请明天再来。',
  RATE_LIMITED: '领取太频繁，请稍后再试。',
  NO_CODES: '券暂时发完了，请稍后再试。',
};

export const reasonText = (reason: keyof typeof REASONS): string => REASONS[reason];

function page(nonce: string, title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title><style nonce="${nonce}">${STYLE}</style></head>
<body>${body}</body></html>`;
}

export interface PageData {
  readonly nonce: string;
  readonly title: string;
  readonly batchName: string;
  readonly left: number;
  readonly codes: readonly ClaimedCode[];
  readonly canClaim: boolean;
  readonly notice: string | null;
  readonly action: string;
  /** The path of the page, under which its images are (routes/claims.ts). */
  readonly path: string;
  /** The store's time zone, in which claim times are shown. */
  readonly timeZone: string;
}

export function claimPageHtml(d: PageData): string {
  const notice = d.notice === null ? '' : `<p class="notice">${escape(d.notice)}</p>`;
  const codes = d.codes.map((c) => {
    const ref = codeRef(c.code);
    return `<section class="card">
<p class="hint">到店结账时出示此码，收银员扫码即可使用</p>
<div class="qr"><img src="${escape(`${d.path}/qr/${ref}`)}" alt="券码二维码" width="220" height="220"></div>
${c.code.length <= BARCODE_MAX ? `<div class="bar"><img src="${escape(`${d.path}/barcode/${ref}`)}" alt="券码条形码"></div>` : ''}
<p class="code">${escape(c.code)}</p>
<p class="stock">领取时间 ${escape(formatLocalDateTime(Date.parse(c.claimedAt), d.timeZone))}</p>
</section>`;
  });
  const claim = d.canClaim
    ? `<form class="card" method="post" action="${escape(d.action)}">
<button type="submit">立即领取</button>
<p class="stock">剩余 ${d.left} 张</p></form>`
    : '';
  return page(
    d.nonce,
    d.title,
    `<main><h1>${escape(d.title)}</h1><p class="batch">${escape(d.batchName)}</p>${notice}${claim}${codes.join('')}</main>`,
  );
}

export async function posterHtml(
  nonce: string,
  title: string,
  batchName: string,
  url: string,
): Promise<string> {
  return page(
    nonce,
    title,
    `<main class="poster"><section class="card"><h1>${escape(title)}</h1>
<p class="batch">${escape(batchName)}</p><div class="qr">${await qrSvg(url)}</div>
<p class="hint">微信扫一扫，领取优惠券</p></section></main>`,
  );
}

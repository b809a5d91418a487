import type { ServerResponse } from 'node:http';

/** A Native order the customer can still pay, as the page lists it. */
export interface WaitingOrder {
  readonly outTradeNo: string;
  readonly description: string;
  readonly total: number;
}

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * GET /sim/customer: the "customer's phone" for `npm start` — the Native orders waiting to be
 * paid, each with a button that scans and pays it (POST /sim/native/{no}/pay, the same control a
 * test uses), optionally with a ¥5 WeChat voucher. Refreshes itself every 3 s. No network needed.
 */
export function sendCustomerPage(res: ServerResponse, orders: readonly WaitingOrder[]): void {
  const rows = orders
    .map(
      (o) => `<li><b>¥${(o.total / 100).toFixed(2)}</b> ${escape(o.description)}
  <button data-no="${escape(o.outTradeNo)}">付款 Pay</button>
  <button data-no="${escape(o.outTradeNo)}" data-voucher="500">用 ¥5 券付款 Pay with a ¥5 voucher</button></li>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>微信支付模拟器 · 顾客 / WeChat Pay simulator · customer</title>
<style>body{font:16px system-ui,sans-serif;margin:1em;max-width:40em}li{margin:.8em 0}button{font:inherit;margin:.2em}</style>
</head><body>
<h1>顾客手机（模拟）<br><small>The customer's phone (simulated)</small></h1>
<p>收银台显示二维码后，订单会出现在这里。<br>Orders appear here once the till shows the QR code.</p>
<ul>${rows || '<li>没有待付款的订单。No order is waiting to be paid.</li>'}</ul>
<script>
document.querySelectorAll('button[data-no]').forEach((b) => b.addEventListener('click', async () => {
  const vouchers = b.dataset.voucher ? [{ amount: Number(b.dataset.voucher), stock_id: '9865000' }] : [];
  await fetch('/sim/native/' + encodeURIComponent(b.dataset.no) + '/pay', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vouchers }),
  });
  location.reload();
}));
setTimeout(() => location.reload(), 3000);
</script>
</body></html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

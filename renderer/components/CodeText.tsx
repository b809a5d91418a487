/**
 * Signed voucher codes run to 150 characters; the cashier needs to recognise one, not read it.
 * Shows the start and end, with the whole code on hover and in data-code for tools.
 */
export function CodeText({
  code,
  className = 'code',
}: {
  readonly code: string;
  readonly className?: string;
}) {
  const short = code.length > 26 ? `${code.slice(0, 14)}…${code.slice(-8)}` : code;
  return (
    <span className={className} title={code} data-code={code}>
      {short}
    </span>
  );
}

import { shortCode } from './short-code';

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
  const short = shortCode(code);
  return (
    <span className={className} title={code} data-code={code}>
      {short}
    </span>
  );
}

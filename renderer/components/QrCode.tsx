import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code of `text` drawn as SVG (sharp at any size); `size` is its width in CSS pixels. */
export function QrCode({
  text,
  size,
  testId,
}: {
  readonly text: string;
  readonly size: number;
  readonly testId: string;
}) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    void QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }).then(
      (drawn) => {
        if (!cancelled) setSvg(drawn);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [text]);
  return (
    <img
      className="qr"
      data-testid={testId}
      data-code-url={text}
      width={size}
      height={size}
      alt="QR"
      src={svg === null ? undefined : `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`}
    />
  );
}

/** Minutes and seconds left until `expiresAt` (ISO), ticking each second; 0:00 once past. */
export function Countdown({
  expiresAt,
  label,
}: {
  readonly expiresAt: string;
  readonly label: (time: string) => string;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, []);
  const left = Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1_000));
  const time = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return (
    <p className="countdown" data-testid="qr-countdown">
      {label(time)}
    </p>
  );
}

import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { useT } from '../app/api';
import { useConsoleSession } from '../app/session';

/**
 * One ECharts chart. The library is imported here, dynamically (see echarts.ts), so it loads
 * with the first report drawn; the chart is made again when its option or the language changes
 * (ECharts' own texts follow the console's language, among them the aria description of the
 * data it puts on the chart's element for screen readers).
 */
export function Chart(props: {
  readonly option: EChartsCoreOption;
  readonly height: number;
  /** 'canvas' for very many shapes; SVG otherwise (see echarts.ts). */
  readonly renderer?: 'svg' | 'canvas';
  readonly testId?: string;
}) {
  const t = useT();
  const locale = useConsoleSession((s) => s.locale);
  const ref = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const { option } = props;
  const renderer = props.renderer ?? 'svg';

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let disposed = false;
    let dispose = () => {};
    import('./echarts')
      .then(({ init }) => {
        if (disposed) return;
        const chart = init(element, null, {
          renderer,
          locale: locale === 'zh-CN' ? 'ZH' : 'EN',
        });
        chart.setOption(option);
        const observer = new ResizeObserver(() => chart.resize());
        observer.observe(element);
        dispose = () => {
          observer.disconnect();
          chart.dispose();
        };
        setState('ready');
      })
      .catch(() => {
        if (!disposed) setState('failed');
      });
    return () => {
      disposed = true;
      dispose();
    };
  }, [option, locale, renderer]);

  return (
    <div className="chart-box">
      {state === 'loading' && <p className="chart-note">{t('repChartLoading')}</p>}
      {state === 'failed' && <p className="chart-note error">{t('repChartFailed')}</p>}
      <div
        ref={ref}
        className="chart"
        data-testid={props.testId}
        data-ready={state === 'ready' ? 'true' : 'false'}
        style={{ height: props.height }}
      />
    </div>
  );
}

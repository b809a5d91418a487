import { BarChart, FunnelChart, HeatmapChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { init, use as register } from 'echarts/core';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

/**
 * The parts of Apache ECharts the report charts use, and nothing more. Only Chart.tsx imports
 * this file, and only dynamically, so the library is a chunk of its own that the console
 * fetches when a report is first drawn. SVG by default: sharp in print, and its labels are text
 * a test and a screen reader can read; canvas for charts of tens of thousands of shapes (a
 * chain's heatmap), which SVG's DOM would make slow. The ZH and EN locales are in the core.
 */
register([
  BarChart,
  FunnelChart,
  HeatmapChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
  CanvasRenderer,
]);

export { init };

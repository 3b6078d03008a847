import { allPanels, type Dashboard } from '../../support/grafana';
import type { PromRange, TestPrometheus } from '../../support/prometheus';

/** One query of a panel, with Grafana's variables replaced as Grafana would for this dashboard. */
export interface PanelQuery {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
}

/**
 * The dashboard's variables as the chart presets them ($namespace, $release), and Grafana's interval variables:
 * $__rate_interval as Grafana computes it for a 15 s scrape interval (1m), $__range as the time shown.
 */
export function grafanaVariables(dashboard: Dashboard, rangeSeconds: number): Record<string, string> {
  const values: Record<string, string> = { __rate_interval: '1m', __interval: '15s', __range: `${rangeSeconds}s` };
  for (const variable of dashboard.templating?.list ?? []) {
    const current = variable.current as { value?: unknown } | undefined;
    if (typeof current?.value === 'string') values[variable.name] = current.value;
  }
  return values;
}

export function substitute(expr: string, variables: Record<string, string>): string {
  return expr.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => variables[name] ?? whole);
}

export function panelQueries(dashboard: Dashboard, variables: Record<string, string>): PanelQuery[] {
  return allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((t) => typeof t.expr === 'string' && t.expr.trim() !== '')
      .map((t) => ({
        panel: panel.title ?? '(untitled)',
        refId: t.refId ?? '?',
        expr: substitute(t.expr ?? '', variables),
        legendFormat: t.legendFormat ?? '',
      })),
  );
}

/** Grafana's legend: `{{label}}` replaced by the series' label, or the whole label set when no format is given. */
export function legend(format: string, metric: Record<string, string>): string {
  if (format === '') return Object.keys(metric).length === 0 ? 'value' : JSON.stringify(metric);
  return format.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_m, name: string) => metric[name] ?? '');
}

/** What a panel query answers now: "" when it returns finite values, otherwise why not. */
export async function missingData(prometheus: TestPrometheus, query: PanelQuery): Promise<string> {
  const samples = await prometheus.query(query.expr);
  if (samples.length === 0) return 'no data';
  const bad = samples.filter((s) => !Number.isFinite(s.value));
  return bad.length > 0 ? `${bad.length} of ${samples.length} series not a number` : '';
}

/** A panel's series over the scenario, as the picture draws them. */
export async function panelSeries(
  prometheus: TestPrometheus,
  queries: readonly PanelQuery[],
  start: number,
  end: number,
  step: number,
): Promise<{ name: string; t: number[]; v: number[] }[]> {
  const series: { name: string; t: number[]; v: number[] }[] = [];
  for (const query of queries) {
    const ranges: PromRange[] = await prometheus.queryRange(query.expr, start, end, step);
    for (const range of ranges) {
      series.push({
        name: legend(query.legendFormat, range.metric),
        t: range.values.map(([t]) => t),
        v: range.values.map(([, v]) => v),
      });
    }
  }
  return series;
}

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../chart/support/tools';
import { allPanels, type Dashboard } from '../../support/grafana';
import type { TestPrometheus } from '../../support/prometheus';
import { run } from '../../chart/support/run';
import { panelQueries, panelSeries } from './panels';

export interface PictureRun {
  readonly prometheus: TestPrometheus;
  readonly start: number;
  readonly end: number;
  readonly variables: Record<string, string>;
  /** What the scenario did, printed under the title. */
  readonly caption: string;
}

/** The SHA-256 of a dashboard's source file, which its picture carries so a stale picture can be told apart. */
export function dashboardDigest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Queries every panel of `dashboard` over the scenario and draws it (scripts/dashboards/render.sh) into `out`.
 * `source` is the repository's dashboards/<name>.json the chart shipped it from.
 */
export async function drawDashboard(
  dashboard: Dashboard,
  source: string,
  out: string,
  runInfo: PictureRun,
): Promise<void> {
  const step = Math.max(1, Math.round((runInfo.end - runInfo.start) / 120));
  const panels = [];
  for (const panel of allPanels(dashboard)) {
    const queries = panelQueries({ panels: [{ ...panel, panels: [] }] }, runInfo.variables);
    panels.push({
      type: panel.type ?? 'timeseries',
      title: panel.title ?? '',
      gridPos: panel.gridPos,
      unit: panel.fieldConfig?.defaults?.unit ?? 'short',
      series: await panelSeries(runInfo.prometheus, queries, runInfo.start, runInfo.end, step),
    });
  }
  const data = {
    title: dashboard.title ?? path.basename(source),
    caption: runInfo.caption,
    start: runInfo.start,
    end: runInfo.end,
    step,
    source: { file: path.relative(REPO_ROOT, source), sha256: dashboardDigest(source) },
    panels,
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'offndat-picture-'));
  try {
    const dataFile = path.join(dir, 'panels.json');
    writeFileSync(dataFile, JSON.stringify(data));
    const result = await run('bash', [path.join(REPO_ROOT, 'scripts/dashboards/render.sh'), dataFile, out]);
    if (result.code !== 0) throw new Error(`render.sh failed:\n${result.stderr}\n${result.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

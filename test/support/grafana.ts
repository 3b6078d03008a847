import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface DashboardQuery {
  /** Where it came from, for failure messages: "<file> › <panel title> › <refId>". */
  readonly where: string;
  readonly expr: string;
}

export interface Panel {
  readonly title?: string;
  readonly type?: string;
  readonly datasource?: unknown;
  readonly gridPos?: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
  readonly targets?: readonly {
    readonly expr?: string;
    readonly refId?: string;
    readonly legendFormat?: string;
    readonly datasource?: unknown;
  }[];
  readonly panels?: readonly Panel[];
}

interface TemplateVariable {
  readonly name: string;
  readonly type: string;
  readonly query?: string | { readonly query?: string };
  readonly definition?: string;
  readonly current?: unknown;
}

export interface Dashboard {
  readonly uid?: string;
  readonly title?: string;
  readonly panels?: readonly Panel[];
  readonly templating?: { readonly list?: readonly TemplateVariable[] };
  readonly __inputs?: unknown;
}

export function listDashboards(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function loadDashboard(file: string): Dashboard {
  return JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
}

/** Every panel (rows included, recursively). */
export function allPanels(dashboard: Dashboard): Panel[] {
  const out: Panel[] = [];
  const walk = (panels: readonly Panel[] | undefined): void => {
    for (const p of panels ?? []) {
      out.push(p);
      walk(p.panels);
    }
  };
  walk(dashboard.panels);
  return out;
}

/**
 * The PromQL of every panel target, plus the metric selector inside query variables written as
 * `label_values(<selector>, label)` or `query_result(<expr>)` (Grafana functions, not PromQL).
 */
export function dashboardQueries(file: string, dashboard: Dashboard): DashboardQuery[] {
  const name = path.basename(file);
  const queries: DashboardQuery[] = [];
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      if (typeof target.expr === 'string' && target.expr.trim() !== '') {
        queries.push({ where: `${name} › ${panel.title ?? '(untitled)'} › ${target.refId ?? '?'}`, expr: target.expr });
      }
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const raw =
      typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? variable.definition ?? '');
    const inner = /^\s*(?:label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)|query_result\((.*)\))\s*$/s.exec(raw);
    const expr = inner?.[1] ?? inner?.[2];
    if (expr !== undefined && expr.trim() !== '') queries.push({ where: `${name} › variable $${variable.name}`, expr });
  }
  return queries;
}

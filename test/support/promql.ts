import { createRequire } from 'node:module';
import type { LRParser } from '@lezer/lr' with { 'resolution-mode': 'import' };

// The grammar package is ESM-typed but ships a CommonJS build, which is what this CommonJS test code loads.
const { parser } = createRequire(__filename)('@prometheus-io/lezer-promql') as { parser: LRParser };

/**
 * Metric names a PromQL expression selects: `name{...}` selectors and `{__name__="name"}` matchers. Regex name
 * matchers cannot be checked by name and are returned separately so a test can refuse them.
 */
export function selectedMetricNames(expr: string): { names: Set<string>; unresolved: string[] } {
  const names = new Set<string>();
  const unresolved: string[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.name === 'VectorSelector') {
      const selector = cursor.node;
      const identifier = selector.getChild('Identifier');
      if (identifier !== null) names.add(expr.slice(identifier.from, identifier.to));
      for (const matcher of selector.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
        const label = matcher.getChild('LabelName');
        if (label === null || expr.slice(label.from, label.to) !== '__name__') continue;
        const op = matcher.getChild('MatchOp');
        const value = matcher.getChild('StringLiteral');
        if (value === null) continue;
        const literal = JSON.parse(expr.slice(value.from, value.to).replace(/^'|'$/g, '"')) as string;
        if (op !== null && expr.slice(op.from, op.to) === '=') names.add(literal);
        else unresolved.push(expr.slice(matcher.from, matcher.to));
      }
    }
  } while (cursor.next());
  return { names, unresolved };
}

export interface Selector {
  readonly name: string;
  readonly matchers: readonly { readonly label: string; readonly op: string; readonly value: string }[];
}

/** Every `name{matchers}` selector of an expression, with its label matchers (`__name__` ones excluded). */
export function selectors(expr: string): Selector[] {
  const found: Selector[] = [];
  const cursor = parser.parse(expr).cursor();
  const text = (from: number, to: number): string => expr.slice(from, to);
  do {
    if (cursor.name !== 'VectorSelector') continue;
    const node = cursor.node;
    const identifier = node.getChild('Identifier');
    if (identifier === null) continue;
    const matchers: Selector['matchers'][number][] = [];
    for (const m of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
      const label = m.getChild('LabelName');
      const op = m.getChild('MatchOp');
      const value = m.getChild('StringLiteral');
      if (label === null || op === null || value === null) continue;
      const raw = text(value.from, value.to);
      matchers.push({ label: text(label.from, label.to), op: text(op.from, op.to), value: raw.slice(1, -1) });
    }
    found.push({
      name: text(identifier.from, identifier.to),
      matchers: matchers.filter((m) => m.label !== '__name__'),
    });
  } while (cursor.next());
  return found;
}

/** Grafana's built-in interval variables and any `[$var]` range become a fixed duration. */
const DURATION_VARIABLES = /\$\{?__(rate_interval|interval|range|interval_ms|range_s|range_ms)\}?/g;

/**
 * Replaces Grafana template variables so the expression is plain PromQL: interval variables and `[$var]` ranges
 * become `5m`; any other `$var`, `${var}`, `${var:format}` or `[[var]]` (always inside label values or regexes
 * in these dashboards) becomes a harmless word.
 */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(DURATION_VARIABLES, '5m')
    .replace(
      /\[\s*\$\{?[A-Za-z_][A-Za-z0-9_]*(?::[^}]*)?\}?\s*(:[^\]]*)?\]/g,
      (_m, subquery: string | undefined) => `[5m${subquery ?? ''}]`,
    )
    .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::[^}]*)?\}/g, 'offndat')
    .replace(/\$[A-Za-z_][A-Za-z0-9_]*/g, 'offndat')
    .replace(/\[\[[A-Za-z_][A-Za-z0-9_]*\]\]/g, 'offndat');
}

import { RE2JS } from 're2js';
import type { BlocklistRule } from './blocklist-rule';

/** A compiled blocklist: which rule, if any, refuses a URL. */
export interface Blocklist {
  readonly size: number;
  readonly rules: readonly BlocklistRule[];
  /** Equal for two lists with the same rules: a reload that changed nothing need not disturb any cache. */
  readonly fingerprint: string;
  /** The first rule that refuses the URL; undefined when it may be linked to. */
  match(url: string): BlocklistRule | undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/\.$/, '');
  } catch {
    return undefined;
  }
}

/**
 * Hosts and suffixes are set look-ups (one per label of the URL's host), patterns run one linear pass each, so
 * checking a URL costs the same however many host rules there are. It runs when a link is created and when a link
 * enters a process's cache, never per redirect.
 */
export function compileBlocklist(rules: readonly BlocklistRule[]): Blocklist {
  const hosts = new Map<string, BlocklistRule>();
  const suffixes = new Map<string, BlocklistRule>();
  const patterns: Array<{ rule: BlocklistRule; regex: RE2JS }> = [];
  for (const rule of rules) {
    if (rule.kind === 'host' && !hosts.has(rule.value)) hosts.set(rule.value, rule);
    else if (rule.kind === 'suffix' && !suffixes.has(rule.value)) suffixes.set(rule.value, rule);
    else if (rule.kind === 'regex') patterns.push({ rule, regex: RE2JS.compile(rule.value) });
  }
  return {
    size: rules.length,
    rules,
    fingerprint: rules.map((rule) => `${rule.kind} ${rule.value}`).join('\n'),
    match(url) {
      if (rules.length === 0) return undefined;
      const host = hostOf(url);
      if (host !== undefined) {
        const exact = hosts.get(host) ?? suffixes.get(host);
        if (exact) return exact;
        for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
          const suffix = suffixes.get(host.slice(dot + 1));
          if (suffix) return suffix;
        }
      }
      for (const { rule, regex } of patterns) if (regex.matcher(url).find()) return rule;
      return undefined;
    },
  };
}

export const EMPTY_BLOCKLIST = compileBlocklist([]);

import { readFile } from 'node:fs/promises';
import { CodedError } from '../errors/coded-error';
import { normaliseRule, RULE_KINDS, type BlocklistRule, type RuleKind } from './blocklist-rule';

/**
 * Reads the blocklist file (a ConfigMap in Kubernetes): one rule per line, `<kind> <value> [# reason]`, where kind
 * is `host`, `suffix` or `regex`; blank lines and lines starting with `#` are ignored. A pattern runs to the end of
 * its line (a ` # ` inside a pattern is taken as the start of a reason). Every bad line is reported at once, with
 * its number, so a broken ConfigMap is caught whole.
 */
export function parseBlocklistFile(text: string): BlocklistRule[] {
  const rules: BlocklistRule[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(\S+)\s+(.+?)(?:\s+#\s*(.*))?$/.exec(line);
    const kind = match?.[1];
    if (!match || !kind || !(RULE_KINDS as readonly string[]).includes(kind)) {
      problems.push(`line ${index + 1}: expected "<host|suffix|regex> <value>"`);
      return;
    }
    try {
      rules.push({
        ...normaliseRule({ kind: kind as RuleKind, value: match[2] ?? '', reason: match[3] }),
        source: 'file',
      });
    } catch (error) {
      problems.push(`line ${index + 1}: ${error instanceof CodedError ? error.message : String(error)}`);
    }
  });
  if (problems.length > 0) throw new Error(`invalid blocklist file: ${problems.join('; ')}`);
  return rules;
}

export async function readBlocklistFile(path: string): Promise<BlocklistRule[]> {
  return parseBlocklistFile(await readFile(path, 'utf8'));
}

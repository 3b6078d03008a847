import { RE2JS } from 're2js';
import { CodedError, type ErrorDetail } from '../errors/coded-error';

/** `host`: that host only; `suffix`: the host and every subdomain; `regex`: a pattern searched in the whole URL. */
export const RULE_KINDS = ['host', 'suffix', 'regex'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface BlocklistRuleInput {
  readonly kind: RuleKind;
  readonly value: string;
  readonly reason?: string | undefined;
}

export interface BlocklistRule extends BlocklistRuleInput {
  /** Database id; rules read from the blocklist file have none and cannot be deleted through the API. */
  readonly id?: string | undefined;
  readonly source: 'api' | 'file';
}

/** Long patterns cost memory per compiled program; real blocklist patterns are short. */
export const REGEX_MAX_LENGTH = 512;
export const HOST_MAX_LENGTH = 253;

export const BlocklistErrors = {
  invalidRule: { code: 'Blocklist.InvalidRule', message: 'The blocklist rule is not valid.' },
  ruleNotFound: { code: 'Blocklist.RuleNotFound', message: 'No blocklist rule has that id.' },
  ruleExists: { code: 'Blocklist.RuleExists', message: 'The same rule is already on the blocklist.' },
  targetBlocked: {
    code: 'GenerateLink.TargetUrlBlocked',
    message: 'The target URL points to a destination that this service does not link to.',
  },
} as const satisfies Record<string, ErrorDetail>;

const HOST_PATTERN = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/;

/**
 * Hosts are compared in the form `new URL()` gives them: lower case, IDNA (punycode) for international names. A rule
 * written as `Bücher.example` matches what a link to it is stored as.
 */
export function canonicalHost(value: string): string | undefined {
  const trimmed = value.trim().replace(/^\*\./, '').replace(/\.$/, '');
  if (trimmed === '' || /[\s/?#@]/.test(trimmed)) return undefined;
  try {
    const host = new URL(`http://${trimmed}/`).hostname;
    return host === trimmed.toLowerCase() || HOST_PATTERN.test(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks and normalises a rule. Patterns run on RE2's linear-time engine, so no pattern can make a check take
 * longer than a pass over the URL (at most 4096 characters): no backtracking blow-up, whatever an operator types.
 */
export function normaliseRule(input: BlocklistRuleInput): BlocklistRuleInput {
  const invalid = (message: string) => new CodedError({ code: BlocklistErrors.invalidRule.code, message });
  if (!RULE_KINDS.includes(input.kind)) throw invalid(`kind must be one of ${RULE_KINDS.join(', ')}`);
  const reason = input.reason?.trim() || undefined;
  if (input.kind === 'regex') {
    if (input.value.length === 0 || input.value.length > REGEX_MAX_LENGTH)
      throw invalid(`a pattern has 1 to ${REGEX_MAX_LENGTH} characters`);
    try {
      RE2JS.compile(input.value);
    } catch (error) {
      throw invalid(`the pattern does not compile: ${(error as Error).message}`);
    }
    return { kind: 'regex', value: input.value, reason };
  }
  const host = input.value.length <= HOST_MAX_LENGTH ? canonicalHost(input.value) : undefined;
  if (!host) throw invalid('the value must be a host name such as example.com');
  return { kind: input.kind, value: host, reason };
}

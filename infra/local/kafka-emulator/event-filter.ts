// Lambda event filtering for Kafka records, as the event-source mapping applies it: each filter is an
// EventBridge-style pattern over the record's `value` (parsed when it is JSON), the one key AWS's
// Kafka mappings filter on. A record is delivered when it matches any pattern; with no patterns,
// every record is.
import type { LambdaKafkaRecord } from '../../../contract/lambda-kafka-event';
import { SettingsError } from '../../settings-error';

type Pattern = Record<string, unknown>;

const OSLS_FORM = 'Write each pattern as an object, as osls deploys it, e.g. filterPatterns: [{value: {gender: [female]}}]';

/** "Amazon MSK and self-managed Apache Kafka event source mappings only support filtering on the value key." */
const KAFKA_FILTERING = 'https://docs.aws.amazon.com/lambda/latest/dg/kafka-filtering.html';

/** Refuses a pattern on any key but `value` (at its top, or in a top-level "$or"), which AWS would not filter on. */
function checkValueOnly(pattern: Pattern, whole: Pattern): void {
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === 'value') continue;
    if (key === '$or') {
      // An "$or" that is not an array of patterns is refused, with its own reason, when matched.
      if (Array.isArray(rule))
        for (const alternative of rule) if (typeof alternative === 'object' && alternative !== null) checkValueOnly(alternative as Pattern, whole);
      continue;
    }
    throw new SettingsError(
      `filterPatterns: ${JSON.stringify(whole)} filters on "${key}"; Kafka mappings filter on the record's value only (${KAFKA_FILTERING}). Move the condition under value, or into writeUsers.`,
    );
  }
}

export function compileFilters(filters: unknown[] | undefined): Pattern[] {
  return (filters ?? []).map((pattern) => {
    if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
      throw new SettingsError(`filterPatterns: ${JSON.stringify(pattern)} is not an object. ${OSLS_FORM}.`);
    }
    const keys = Object.keys(pattern);
    // Stryker disable next-line ConditionalExpression: equivalent - with one key and a string pattern field, that key is pattern
    if (keys.length === 1 && keys[0] === 'pattern' && typeof (pattern as Pattern).pattern === 'string') {
      // The CloudFormation form ({Pattern: "<json>"}) would deploy as a filter on a field named "pattern".
      throw new SettingsError(`filterPatterns: {pattern: ${JSON.stringify((pattern as Pattern).pattern)}} is the template's form, not osls'. ${OSLS_FORM}.`);
    }
    checkValueOnly(pattern as Pattern, pattern as Pattern);
    return pattern as Pattern;
  });
}

/** The record as filters see it: its value decoded from base64, and parsed if JSON. */
export function filterView(record: LambdaKafkaRecord): Record<string, unknown> {
  let value: unknown = undefined;
  if (record.value) {
    const text = Buffer.from(record.value, 'base64').toString('utf8');
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
  }
  return { value };
}

export function matchesAny(record: LambdaKafkaRecord, patterns: Pattern[]): boolean {
  if (patterns.length === 0) return true;
  const view = filterView(record);
  return patterns.some((pattern) => matchesObject(view, pattern));
}

/** `event` is the record's view, or a nested object of it: never null (see the object rule below). */
function matchesObject(event: Record<string, unknown>, pattern: Pattern): boolean {
  return Object.entries(pattern).every(([field, rule]) => {
    // "$or": [pattern, …] matches when any of its patterns matches at this level.
    if (field === '$or') {
      if (!Array.isArray(rule)) throw new SettingsError(`filterPatterns: "$or" takes an array of patterns, got ${JSON.stringify(rule)}.`);
      return rule.some((alternative) => matchesObject(event, alternative as Pattern));
    }
    const value = event[field];
    if (Array.isArray(rule)) return rule.some((one) => matchesRule(value, one));
    if (typeof rule === 'object' && rule !== null)
      return typeof value === 'object' && value !== null && matchesObject(value as Record<string, unknown>, rule as Pattern);
    throw new SettingsError(`filterPatterns: the rule for "${field}" must be an array or an object, got ${JSON.stringify(rule)}.`);
  });
}

function matchesRule(value: unknown, rule: unknown): boolean {
  if (Array.isArray(value)) return value.some((item) => matchesRule(item, rule));
  if (rule === null || typeof rule !== 'object') return value === rule;
  const [[operator, operand]] = Object.entries(rule as Record<string, unknown>);
  switch (operator) {
    case 'exists':
      return operand ? value !== undefined : value === undefined;
    case 'prefix':
      return typeof value === 'string' && value.startsWith(String(operand));
    case 'suffix':
      return typeof value === 'string' && value.endsWith(String(operand));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(operand).toLowerCase();
    case 'anything-but':
      if (value === undefined) return false;
      if (Array.isArray(operand)) return !operand.includes(value);
      if (typeof operand === 'object' && operand !== null) return !matchesRule(value, operand);
      return value !== operand;
    case 'numeric':
      return typeof value === 'number' && numericMatches(value, operand as Array<string | number>);
    default:
      throw new SettingsError(`filterPatterns: unsupported operator "${operator}".`);
  }
}

function numericMatches(value: number, conditions: Array<string | number>): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const bound = Number(conditions[i + 1]);
    const ok = { '=': value === bound, '<': value < bound, '<=': value <= bound, '>': value > bound, '>=': value >= bound }[String(conditions[i])];
    if (!ok) return false;
  }
  return true;
}

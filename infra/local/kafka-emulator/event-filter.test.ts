import { toLambdaKafkaRecord } from './build-lambda-kafka-event';
import { compileFilters, matchesAny } from './event-filter';

const record = (value: string | null) => toLambdaKafkaRecord({ topic: 'users_created', partition: 1, offset: 7, timestamp: 0, value });
// Each pattern is written as osls takes it, an object (here from JSON text, to read like AWS's documentation).
const matches = (value: string | null, ...patterns: string[]) => matchesAny(record(value), compileFilters(patterns.map((pattern) => JSON.parse(pattern))));
const user = JSON.stringify({ gender: 'female', post_code: '90592', age: 34, name: { first: 'Zoë' }, tags: ['a', 'b'] });

describe('Lambda event filtering on Kafka records', () => {
  it('delivers everything when there are no patterns', () => {
    expect(matches('not json')).toBe(true);
  });

  it('matches exact values in the JSON value, nested fields and arrays', () => {
    expect(matches(user, '{"value": {"gender": ["female"]}}')).toBe(true);
    expect(matches(user, '{"value": {"gender": ["male"]}}')).toBe(false);
    expect(matches(user, '{"value": {"name": {"first": ["Zoë"]}}}')).toBe(true);
    expect(matches(user, '{"value": {"tags": ["b"]}}')).toBe(true);
  });

  it('supports prefix, suffix, anything-but, numeric, exists and equals-ignore-case', () => {
    expect(matches(user, '{"value": {"post_code": [{"prefix": "905"}]}}')).toBe(true);
    expect(matches(user, '{"value": {"post_code": [{"suffix": "92"}]}}')).toBe(true);
    expect(matches(user, '{"value": {"gender": [{"anything-but": ["male"]}]}}')).toBe(true);
    expect(matches(user, '{"value": {"age": [{"numeric": [">", 30, "<=", 34]}]}}')).toBe(true);
    expect(matches(user, '{"value": {"age": [{"numeric": [">", 34]}]}}')).toBe(false);
    expect(matches(user, '{"value": {"email": [{"exists": false}]}}')).toBe(true);
    expect(matches(user, '{"value": {"gender": [{"equals-ignore-case": "FEMALE"}]}}')).toBe(true);
  });

  it('delivers a record matching any of several patterns', () => {
    expect(matches(user, '{"value": {"gender": ["male"]}}', '{"value": {"age": [34]}}')).toBe(true);
    expect(matches(user, '{"value": {"gender": ["male"]}}', '{"value": {"age": [35]}}')).toBe(false);
  });

  // https://docs.aws.amazon.com/lambda/latest/dg/kafka-filtering.html: "Amazon MSK and self-managed
  // Apache Kafka event source mappings only support filtering on the value key."
  it('refuses a pattern on anything but the value, at its top or in an "$or", naming the key and the page', () => {
    expect(() => compileFilters([{ partition: [1] }])).toThrow(
      /filters on "partition"; Kafka mappings filter on the record's value only \(https:\/\/docs\.aws\.amazon\.com\/lambda\/latest\/dg\/kafka-filtering\.html\)/,
    );
    expect(() => compileFilters([{ value: { gender: ['female'] }, topic: ['users_created'] }])).toThrow(/filters on "topic"/);
    expect(() => compileFilters([{ $or: [{ value: { gender: ['female'] } }, { offset: [7] }] }])).toThrow(/filters on "offset"/);
    expect(compileFilters([{ $or: [{ value: { gender: ['female'] } }, { value: { age: [34] } }] }])).toHaveLength(1);
    expect(matches(user, '{"$or": [{"value": {"gender": ["male"]}}, {"value": {"age": [34]}}]}')).toBe(true);
  });

  it('never matches a value that is not JSON against a JSON field', () => {
    expect(matches('plain text', '{"value": {"gender": ["female"]}}')).toBe(false);
    expect(matches(null, '{"value": {"gender": ["female"]}}')).toBe(false);
  });

  it('refuses the template form and strings, which osls would deploy as a different filter', () => {
    expect(() => compileFilters([{ pattern: '{"value": {"gender": ["female"]}}' }])).toThrow(/the template's form, not osls'/);
    expect(() => compileFilters(['{"value": {"gender": ["female"]}}'])).toThrow(/is not an object/);
  });
});

// The rule syntax table of AWS's Lambda event-filtering documentation, each row applied to a Kafka
// record's JSON value: [comparison, rule, a value it matches, a value it does not].
const documentedRules: Array<[string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]> = [
  ['Null', { UserID: [null] }, { UserID: null }, { UserID: 'u1' }],
  ['Empty', { LastName: [''] }, { LastName: '' }, { LastName: 'Doe' }],
  ['Equals', { Name: ['Alice'] }, { Name: 'Alice' }, { Name: 'alice' }],
  ['Equals (ignore case)', { Name: [{ 'equals-ignore-case': 'alice' }] }, { Name: 'ALICE' }, { Name: 'Bob' }],
  ['And', { Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Monday' }, { Location: 'New York', Day: 'Friday' }],
  ['Or', { PaymentType: ['Credit', 'Debit'] }, { PaymentType: 'Debit' }, { PaymentType: 'Cash' }],
  [
    'Or (multiple fields)',
    { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    { Location: 'Paris', Day: 'Monday' },
    { Location: 'Paris', Day: 'Friday' },
  ],
  ['Not', { Weather: [{ 'anything-but': ['Raining'] }] }, { Weather: 'Sunny' }, { Weather: 'Raining' }],
  ['Numeric (equals)', { Price: [{ numeric: ['=', 100] }] }, { Price: 100 }, { Price: 101 }],
  ['Numeric (range)', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 20 }, { Price: 10 }],
  ['Exists', { ProductName: [{ exists: true }] }, { ProductName: 'x' }, { Other: 'x' }],
  ['Does not exist', { ProductName: [{ exists: false }] }, { Other: 'x' }, { ProductName: 'x' }],
  ['Begins with', { Region: [{ prefix: 'us-' }] }, { Region: 'us-east-1' }, { Region: 'eu-west-1' }],
  ['Ends with', { FileName: [{ suffix: '.png' }] }, { FileName: 'cat.png' }, { FileName: 'cat.jpg' }],
];

describe('filter rules at their edges', () => {
  it('compares numbers at each bound as its operator says, and only numbers', () => {
    const at = (operator: string, bound: number) => matches(user, JSON.stringify({ value: { age: [{ numeric: [operator, bound] }] } }));
    expect([at('<', 34), at('<=', 34), at('=', 34), at('>=', 34), at('>', 34)]).toEqual([false, true, true, true, false]);
    expect([at('<', 35), at('<=', 33), at('=', 35), at('>=', 35), at('>', 33)]).toEqual([true, false, false, false, true]);
    expect(matches(JSON.stringify({ age: '34' }), '{"value": {"age": [{"numeric": ["=", 34]}]}}')).toBe(false);
  });

  it('reads anything-but as one value, a list, or another rule, and never matches a missing field', () => {
    expect(matches(user, '{"value": {"gender": [{"anything-but": "female"}]}}')).toBe(false);
    expect(matches(user, '{"value": {"gender": [{"anything-but": "male"}]}}')).toBe(true);
    expect(matches(user, '{"value": {"gender": [{"anything-but": {"prefix": "fem"}}]}}')).toBe(false);
    expect(matches(user, '{"value": {"gender": [{"anything-but": {"prefix": "ma"}}]}}')).toBe(true);
    expect(matches(user, '{"value": {"email": [{"anything-but": ["x"]}]}}')).toBe(false);
  });

  it('matches a value that is not JSON as the text it is', () => {
    expect(matches('plain text', '{"value": ["plain text"]}')).toBe(true);
    expect(matches('plain text', '{"value": [{"prefix": "plain"}]}')).toBe(true);
  });

  it('never matches a nested rule against a field that is missing or not an object', () => {
    expect(matches(user, '{"value": {"address": {"city": ["Paris"]}}}')).toBe(false);
    expect(matches(user, '{"value": {"gender": {"first": ["female"]}}}')).toBe(false);
    expect(matches(JSON.stringify({ name: null }), '{"value": {"name": {"first": ["Zoë"]}}}')).toBe(false);
  });

  it('says which rule it cannot read', () => {
    expect(() => matches(user, '{"value": {"gender": "female"}}')).toThrow(
      'filterPatterns: the rule for "gender" must be an array or an object, got "female".',
    );
    expect(() => matches(user, '{"value": {"gender": null}}')).toThrow('filterPatterns: the rule for "gender" must be an array or an object, got null.');
    expect(() => matches(user, '{"$or": {"value": {"gender": ["female"]}}}')).toThrow(
      'filterPatterns: "$or" takes an array of patterns, got {"value":{"gender":["female"]}}.',
    );
    expect(() => matches(user, '{"value": {"gender": [{"cidr": "10.0.0.0/8"}]}}')).toThrow('filterPatterns: unsupported operator "cidr".');
  });

  it('takes no filters as none, and a field named "pattern" as a field, refused as any key but value is', () => {
    expect(compileFilters(undefined)).toEqual([]);
    expect(() => compileFilters([{ pattern: { kind: ['x'] } }])).toThrow(/filters on "pattern"/);
    expect(() => compileFilters([{ pattern: 'x', value: { gender: ['female'] } }])).toThrow(/filters on "pattern"/);
    expect(() => compileFilters([{ pattern: '{}' }])).toThrow(
      'filterPatterns: {pattern: "{}"} is the template\'s form, not osls\'. Write each pattern as an object, as osls deploys it, e.g. filterPatterns: [{value: {gender: [female]}}].',
    );
  });
});

describe("AWS's documented filter rules, on a Kafka record's value", () => {
  it.each(documentedRules)('%s', (_name, rule, matching, other) => {
    const patterns = compileFilters([{ value: rule }]);
    expect(matchesAny(record(JSON.stringify(matching)), patterns)).toBe(true);
    expect(matchesAny(record(JSON.stringify(other)), patterns)).toBe(false);
  });
});

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

  it('matches metadata, and delivers a record matching any of several patterns', () => {
    expect(matches(user, '{"partition": [1]}')).toBe(true);
    expect(matches(user, '{"value": {"gender": ["male"]}}', '{"partition": [1]}')).toBe(true);
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
  ['Or (multiple fields)', { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] }, { Location: 'Paris', Day: 'Monday' }, { Location: 'Paris', Day: 'Friday' }],
  ['Not', { Weather: [{ 'anything-but': ['Raining'] }] }, { Weather: 'Sunny' }, { Weather: 'Raining' }],
  ['Numeric (equals)', { Price: [{ numeric: ['=', 100] }] }, { Price: 100 }, { Price: 101 }],
  ['Numeric (range)', { Price: [{ numeric: ['>', 10, '<=', 20] }] }, { Price: 20 }, { Price: 10 }],
  ['Exists', { ProductName: [{ exists: true }] }, { ProductName: 'x' }, { Other: 'x' }],
  ['Does not exist', { ProductName: [{ exists: false }] }, { Other: 'x' }, { ProductName: 'x' }],
  ['Begins with', { Region: [{ prefix: 'us-' }] }, { Region: 'us-east-1' }, { Region: 'eu-west-1' }],
  ['Ends with', { FileName: [{ suffix: '.png' }] }, { FileName: 'cat.png' }, { FileName: 'cat.jpg' }],
];

describe("AWS's documented filter rules, on a Kafka record's value", () => {
  it.each(documentedRules)('%s', (_name, rule, matching, other) => {
    const patterns = compileFilters([{ value: rule }]);
    expect(matchesAny(record(JSON.stringify(matching)), patterns)).toBe(true);
    expect(matchesAny(record(JSON.stringify(other)), patterns)).toBe(false);
  });
});

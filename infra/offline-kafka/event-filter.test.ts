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

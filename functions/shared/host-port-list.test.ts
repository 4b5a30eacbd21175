import { hostPortSetting, parseHostPortList } from './host-port-list';

describe('host:port lists', () => {
  it('keeps every entry of a list, adding the default port where it is missing', () => {
    expect(parseHostPortList('KAFKA_BROKERS', ' b-1.kafka:9098, b-2.kafka ,10.0.0.7:19092', 9092)).toEqual({
      ok: true,
      entries: ['b-1.kafka:9098', 'b-2.kafka:9092', '10.0.0.7:19092'],
    });
  });

  it('accepts bracketed IPv6 addresses, with or without a port', () => {
    expect(parseHostPortList('X', '[::1]:9042,[fe80::1]', 9042)).toEqual({ ok: true, entries: ['[::1]:9042', '[fe80::1]:9042'] });
  });

  it('names the setting and the entries that are not host:port', () => {
    const parsed = parseHostPortList('KAFKA_BROKERS', 'kafka:9092,http://kafka:9092,kafka:99999', 9092);
    expect(parsed).toEqual({ ok: false, problem: expect.stringContaining('KAFKA_BROKERS must be a comma-separated host:port list') });
    expect(parsed.ok || parsed.problem).toMatch(/not host:port: http:\/\/kafka:9092, kafka:99999\)$/);
  });

  it('refuses an empty list', () => {
    expect(parseHostPortList('KAFKA_BROKERS', ' , ', 9092).ok).toBe(false);
  });

  it('takes ports from 1 to 65535 only', () => {
    expect(parseHostPortList('X', 'a:1,b:65535', 9092)).toEqual({ ok: true, entries: ['a:1', 'b:65535'] });
    expect(parseHostPortList('X', 'a:0,b:65536,c:9092', 9092)).toEqual({
      ok: false,
      problem: 'X must be a comma-separated host:port list (e.g. 127.0.0.1:9092), got "a:0,b:65536,c:9092" (not host:port: a:0, b:65536)',
    });
  });

  it('skips empty entries between commas', () => {
    expect(parseHostPortList('X', 'a:1, ,b,', 9042)).toEqual({ ok: true, entries: ['a:1', 'b:9042'] });
  });

  it('says what an empty list should look like', () => {
    expect(parseHostPortList('CASSANDRA_CONTACT_POINTS', ' , ', 9042)).toEqual({
      ok: false,
      problem: 'CASSANDRA_CONTACT_POINTS must be a comma-separated host:port list (e.g. 127.0.0.1:9042), got " , "',
    });
  });

  it('accepts host names with dots, dashes and underscores, but not at either end', () => {
    expect(parseHostPortList('X', 'my_host.internal-1,a', 1).ok).toBe(true);
    expect(parseHostPortList('X', '-host', 1).ok).toBe(false);
    expect(parseHostPortList('X', 'host.', 1).ok).toBe(false);
    expect(parseHostPortList('X', 'ho st:1', 1).ok).toBe(false);
    expect(parseHostPortList('X', '[::1', 1).ok).toBe(false);
  });

  it('takes a setting of only spaces as unset, with this machine’s default', () => {
    expect(hostPortSetting({ KAFKA_BROKERS: '   ' }, 'KAFKA_BROKERS')).toBe('127.0.0.1:9092');
    expect(hostPortSetting({ CASSANDRA_CONTACT_POINTS: ' db:9042 ' }, 'CASSANDRA_CONTACT_POINTS')).toBe('db:9042');
    expect(hostPortSetting({}, 'CASSANDRA_CONTACT_POINTS')).toBe('127.0.0.1:9042');
  });
});

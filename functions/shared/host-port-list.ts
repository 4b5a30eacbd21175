// The one parser for host:port list settings (KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS), shared by the
// functions, the deployment and the local tools so that a list means the same thing everywhere.

export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';
export const DEFAULT_CASSANDRA_CONTACT_POINTS = '127.0.0.1:9042';

const LOCAL_DEFAULTS = { KAFKA_BROKERS: DEFAULT_KAFKA_BROKERS, CASSANDRA_CONTACT_POINTS: DEFAULT_CASSANDRA_CONTACT_POINTS } as const;

/** The setting as the environment holds it, or this machine's default when unset or blank: the one fallback every reader uses. */
export function hostPortSetting(env: Record<string, string | undefined>, name: keyof typeof LOCAL_DEFAULTS): string {
  return env[name]?.trim() || LOCAL_DEFAULTS[name];
}

export type HostPortList = { ok: true; entries: string[] } | { ok: false; problem: string };

const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.\-_]*[A-Za-z0-9])?)(?::(\d{1,5}))?$/;

/**
 * Splits "a:1, b" into ["a:1", "b:<defaultPort>"]. Every entry must be a host name, an IPv4 address or
 * a bracketed IPv6 address, with an optional port from 1 to 65535.
 */
export function parseHostPortList(name: string, raw: string, defaultPort: number): HostPortList {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = HOST_PORT.exec(entry);
      return { entry, valid: match !== null, port: match?.[1] };
    });
  // A missing port is NaN here, which neither comparison refuses.
  const bad = entries.filter(({ valid, port }) => !valid || Number(port) < 1 || Number(port) > 65535).map(({ entry }) => entry);
  if (entries.length === 0 || bad.length > 0) {
    return {
      ok: false,
      problem: `${name} must be a comma-separated host:port list (e.g. 127.0.0.1:${defaultPort}), got "${raw}"${bad.length ? ` (not host:port: ${bad.join(', ')})` : ''}`,
    };
  }
  return { ok: true, entries: entries.map(({ entry, port }) => (port === undefined ? `${entry}:${defaultPort}` : entry)) };
}

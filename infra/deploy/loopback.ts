// Whether a host:port entry points at this machine: never valid for a stage that deploys to AWS.
export function isLoopback(entry: string): boolean {
  const withoutPort = entry.replace(/:\d+$/, '');
  // A bracketed IPv6 address keeps its colons inside the brackets: "[::1]:9092" is "::1".
  const host = (withoutPort.startsWith('[') ? withoutPort.slice(1, -1) : withoutPort).toLowerCase();
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || host === '0.0.0.0';
}

// Maps the CASSANDRA_CONSISTENCY name (LOCAL_QUORUM) to the driver's level (types.consistencies.localQuorum).
import { types } from 'cassandra-driver';
import type { ConsistencyName } from '../shared/config';

export function consistencyOf(level: ConsistencyName): types.consistencies {
  const key = level.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof typeof types.consistencies;
  return types.consistencies[key];
}

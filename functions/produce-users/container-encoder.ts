// The container's encoder: the schema id looked up once, on the first run, and kept while the
// container lives. A lookup that fails is forgotten (LazyConnection), so the next run asks again.
import type { SchemaRegistryConfig } from '../shared/config';
import { LazyConnection } from '../shared/lazy-connection';
import { SchemaRegistryClient } from '../shared/schema-registry';
import { readCredentials } from '../shared/secrets';
import { openCreatedUserEncoder, type CreatedUserEncoder } from './created-user-encoder';

export function containerEncoder(config: SchemaRegistryConfig): LazyConnection<CreatedUserEncoder> {
  return new LazyConnection(
    async () => {
      const credentials = config.secretArn ? await readCredentials(config.secretArn) : undefined;
      return openCreatedUserEncoder(new SchemaRegistryClient(config.url, { credentials }));
    },
    async () => undefined,
  );
}

import { CompressionTypes } from 'kafkajs';
import { recordingProducer } from '../../test/support/recording-producer';
import type { CreatedUser } from '../shared/created-user';
import { publishUsers } from './publish-users';

describe('publishing created users', () => {
  const user = { id: '2a9cb0f5-cbe0-4aab-9561-c2d3c934aa88', first_name: 'Bently' } as CreatedUser;

  it('keys each user by id, with all replicas acknowledging, compressed, and headers naming the format', async () => {
    const p = recordingProducer();
    await expect(publishUsers(p.producer, [user, { ...user, id: 'b' }])).resolves.toBe(2);
    expect(p.sent).toEqual([
      {
        topic: 'users_created',
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: [
          { key: user.id, value: JSON.stringify(user), headers: { 'content-type': 'application/json', 'schema-version': '1' } },
          { key: 'b', value: JSON.stringify({ ...user, id: 'b' }), headers: { 'content-type': 'application/json', 'schema-version': '1' } },
        ],
      },
    ]);
  });

  it('carries the run’s traceparent on every record it publishes', async () => {
    const p = recordingProducer();
    await publishUsers(p.producer, [user, { ...user, id: 'b' }], { traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01' });
    expect(p.sent[0].messages.map((message) => message.headers?.traceparent)).toEqual([
      '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
      '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
    ]);
  });

  it('sends nothing for no users', async () => {
    const p = recordingProducer();
    await expect(publishUsers(p.producer, [])).resolves.toBe(0);
    expect(p.sent).toEqual([]);
  });
});

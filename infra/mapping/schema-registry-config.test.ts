import { schemaRegistryOf, toSchemaRegistryConfig } from './schema-registry-config';

// AWS's limits on SchemaRegistryConfig, as CloudFormation's page states them:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-eventsourcemapping-schemaregistryconfig.html
describe('a mapping’s schema registry settings', () => {
  it('defaults to JSON delivery and VALUE validation, and writes the property as CloudFormation spells it', () => {
    const registry = schemaRegistryOf('writeUsers', { uri: 'https://registry.internal' })!;
    expect(registry).toEqual({ uri: 'https://registry.internal', eventRecordFormat: 'JSON', validate: ['VALUE'], accessConfigs: [] });
    expect(toSchemaRegistryConfig(registry)).toEqual({
      SchemaRegistryURI: 'https://registry.internal',
      EventRecordFormat: 'JSON',
      SchemaValidationConfigs: [{ Attribute: 'VALUE' }],
    });
    expect(
      toSchemaRegistryConfig(
        schemaRegistryOf('writeUsers', {
          uri: 'https://registry.internal',
          eventRecordFormat: 'SOURCE',
          schemaValidationConfigs: ['KEY', 'VALUE'],
          accessConfigs: [{ type: 'BASIC_AUTH', uri: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:r-AbC' }],
        })!,
      ),
    ).toEqual({
      SchemaRegistryURI: 'https://registry.internal',
      EventRecordFormat: 'SOURCE',
      SchemaValidationConfigs: [{ Attribute: 'KEY' }, { Attribute: 'VALUE' }],
      AccessConfigs: [{ Type: 'BASIC_AUTH', URI: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:r-AbC' }],
    });
  });

  it('is absent when the mapping states none', () => {
    expect(schemaRegistryOf('writeUsers', undefined)).toBeUndefined();
  });

  it('takes a Glue registry ARN as the URI too', () => {
    expect(schemaRegistryOf('writeUsers', { uri: 'arn:aws:glue:us-east-1:123456789012:registry/users' })?.uri).toBe(
      'arn:aws:glue:us-east-1:123456789012:registry/users',
    );
  });

  it('refuses what AWS refuses, naming the field: a URI that is neither, a format or attribute AWS does not have, more than two access configs', () => {
    const at = 'custom.eventSourceMappings.writeUsers.schemaRegistry';
    expect(() => schemaRegistryOf('writeUsers', { uri: 'registry.internal' })).toThrow(`${at}.uri`);
    expect(() => schemaRegistryOf('writeUsers', { uri: 'https://r', eventRecordFormat: 'AVRO' })).toThrow(`${at}.eventRecordFormat must be JSON or SOURCE`);
    expect(() => schemaRegistryOf('writeUsers', { uri: 'https://r', schemaValidationConfigs: ['HEADERS'] })).toThrow(`${at}.schemaValidationConfigs`);
    expect(() => schemaRegistryOf('writeUsers', { uri: 'https://r', schemaValidationConfigs: [] })).toThrow(`${at}.schemaValidationConfigs`);
    expect(() => schemaRegistryOf('writeUsers', { uri: 'https://r', schemaValidationConfigs: ['VALUE', 'VALUE'] })).toThrow(`${at}.schemaValidationConfigs`);
    expect(() => schemaRegistryOf('writeUsers', { uri: 'https://r', accessConfigs: [{ type: 'SASL', uri: 'arn' }] })).toThrow(`${at}.accessConfigs[0]`);
    const access = { type: 'BASIC_AUTH', uri: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:r-AbC' };
    expect(() => schemaRegistryOf('writeUsers', { uri: 'https://r', accessConfigs: [access, access, access] })).toThrow('at most 2');
  });
});

describe('a mapping whose registry is turned off', () => {
  it('has none, whatever else it states', () => {
    expect(schemaRegistryOf('writeUsers', { enabled: false, uri: 'https://registry.internal' })).toBeUndefined();
    expect(schemaRegistryOf('writeUsers', { enabled: true, uri: 'https://registry.internal' })?.uri).toBe('https://registry.internal');
  });
});

// The mapping's schema registry (CloudFormation's SchemaRegistryConfig), stated once under
// custom.eventSourceMappings.<function>.schemaRegistry: osls' kafka and msk events have no field for it.
// The deployment writes it onto the AWS::Lambda::EventSourceMapping and the emulator applies it.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-eventsourcemapping-schemaregistryconfig.html
import { SettingsError } from '../settings-error';

export type EventRecordFormat = 'JSON' | 'SOURCE';
export type ValidatedAttribute = 'KEY' | 'VALUE';
/** AWS's access types for a Confluent-compatible registry (SchemaRegistryAccessConfig.Type). */
export type RegistryAccessType = 'BASIC_AUTH' | 'CLIENT_CERTIFICATE_TLS_AUTH' | 'SERVER_ROOT_CA_CERTIFICATE';

export interface SchemaRegistrySettings {
  /** false: the mapping has no registry (a local stage's `schemaRegistry=off`, the benchmark's baseline). */
  enabled?: boolean;
  uri?: string;
  eventRecordFormat?: string;
  schemaValidationConfigs?: string[];
  /** Secrets Manager ARNs by access type; serverless.yml spells them as the stage resolves them. */
  accessConfigs?: Array<{ type?: string; uri?: string }>;
}

export interface SchemaRegistry {
  uri: string;
  eventRecordFormat: EventRecordFormat;
  validate: ValidatedAttribute[];
  accessConfigs: Array<{ type: RegistryAccessType; uri: string }>;
}

const FORMATS: readonly EventRecordFormat[] = ['JSON', 'SOURCE'];
const ATTRIBUTES: readonly ValidatedAttribute[] = ['KEY', 'VALUE'];
const ACCESS_TYPES: readonly RegistryAccessType[] = ['BASIC_AUTH', 'CLIENT_CERTIFICATE_TLS_AUTH', 'SERVER_ROOT_CA_CERTIFICATE'];
const GLUE_REGISTRY_ARN = /^arn:aws[a-z-]*:glue:[a-z0-9-]+:\d{12}:registry\/[A-Za-z0-9_$#-]+$/;

/** The checked settings, or undefined when the mapping has no registry; each problem names its field. */
export function schemaRegistryOf(functionKey: string, settings: SchemaRegistrySettings | undefined): SchemaRegistry | undefined {
  if (settings === undefined || settings === null || settings.enabled === false) return undefined;
  const at = `custom.eventSourceMappings.${functionKey}.schemaRegistry`;
  const { uri } = settings;
  if (!uri || (!GLUE_REGISTRY_ARN.test(uri) && !/^https?:\/\/[^/\s]+/.test(uri))) {
    throw new SettingsError(`${at}.uri must be a Confluent-compatible registry's http(s) URL or an AWS Glue registry ARN; got ${JSON.stringify(uri)}.`);
  }
  const eventRecordFormat = (settings.eventRecordFormat ?? 'JSON') as EventRecordFormat;
  if (!FORMATS.includes(eventRecordFormat)) throw new SettingsError(`${at}.eventRecordFormat must be JSON or SOURCE, as AWS allows; got ${eventRecordFormat}.`);
  const validate = (settings.schemaValidationConfigs ?? ['VALUE']) as ValidatedAttribute[];
  if (validate.length === 0 || validate.some((attribute) => !ATTRIBUTES.includes(attribute)) || new Set(validate).size !== validate.length) {
    throw new SettingsError(`${at}.schemaValidationConfigs must list KEY, VALUE or both, once each; got ${JSON.stringify(validate)}.`);
  }
  const accessConfigs = (settings.accessConfigs ?? []).map((access, i) => {
    if (!ACCESS_TYPES.includes(access.type as RegistryAccessType) || !access.uri) {
      throw new SettingsError(`${at}.accessConfigs[${i}] needs a type (${ACCESS_TYPES.join(', ')}) and the uri of its Secrets Manager secret.`);
    }
    return { type: access.type as RegistryAccessType, uri: access.uri };
  });
  // AWS: at most 2 (AccessConfigs, Maximum: 2).
  if (accessConfigs.length > 2) throw new SettingsError(`${at}.accessConfigs has ${accessConfigs.length} entries; AWS takes at most 2.`);
  return { uri, eventRecordFormat, validate, accessConfigs };
}

/** The AWS::Lambda::EventSourceMapping property, as CloudFormation spells it. */
export function toSchemaRegistryConfig(registry: SchemaRegistry): Record<string, unknown> {
  return {
    SchemaRegistryURI: registry.uri,
    EventRecordFormat: registry.eventRecordFormat,
    SchemaValidationConfigs: registry.validate.map((attribute) => ({ Attribute: attribute })),
    ...(registry.accessConfigs.length > 0 ? { AccessConfigs: registry.accessConfigs.map(({ type, uri }) => ({ Type: type, URI: uri })) } : {}),
  };
}

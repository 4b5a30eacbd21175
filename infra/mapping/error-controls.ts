// The error controls of a Kafka event-source mapping, read once for both the deployment (which writes
// them onto the AWS::Lambda::EventSourceMapping) and the sls offline emulator (which applies them).
// osls' kafka event has its own onFailureDestination field; its msk event does not, so the value
// comes from the event where osls has the field and from custom.eventSourceMappings otherwise.
import { SettingsError } from '../settings-error';
import type { SchemaRegistrySettings } from './schema-registry-config';

export interface ErrorControls {
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  bisectBatchOnFunctionError?: boolean;
  functionResponseTypes?: string[];
  onFailureDestination?: string;
  /** Not an error control, but stated beside them for the same reason: osls has no field for it. */
  schemaRegistry?: SchemaRegistrySettings;
}

export interface ResolvedErrorControls {
  /** As configured: -1 is "until success". AWS, and the emulator, cap it at 10 when a destination is set. */
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  onFailureDestination?: string;
}

/** AWS applies at most 10 retries when retries are unlimited and an on-failure destination is set. */
export const RETRIES_WITH_DESTINATION = 10;

export function errorControlsOf(
  functionKey: string,
  event: { topic?: string; onFailureDestination?: string },
  controls: ErrorControls | undefined,
): ResolvedErrorControls {
  const fromEvent = event.onFailureDestination;
  const fromControls = controls?.onFailureDestination;
  if (fromEvent !== undefined && fromControls !== undefined && fromEvent !== fromControls) {
    throw new SettingsError(
      `${functionKey}: the kafka event's onFailureDestination (${fromEvent}) and custom.eventSourceMappings.${functionKey}.onFailureDestination (${fromControls}) differ. State it once.`,
    );
  }
  const destination = fromEvent ?? fromControls;
  if (destination !== undefined && event.topic !== undefined && destination === `kafka://${event.topic}`) {
    // AWS refuses it too: a record that failed would be fed back to the function that failed it, forever.
    throw new SettingsError(`${functionKey}: the on-failure destination ${destination} is the mapping's own topic; use a dead-letter topic.`);
  }
  const maximumRecordAgeInSeconds = controls?.maximumRecordAgeInSeconds ?? -1;
  if (maximumRecordAgeInSeconds !== -1 && (maximumRecordAgeInSeconds < 60 || maximumRecordAgeInSeconds > 604_800)) {
    throw new SettingsError(
      `custom.eventSourceMappings.${functionKey}.maximumRecordAgeInSeconds must be -1 or 60 to 604800, as AWS requires; got ${maximumRecordAgeInSeconds}.`,
    );
  }
  const maximumRetryAttempts = controls?.maximumRetryAttempts ?? -1;
  if (!Number.isInteger(maximumRetryAttempts) || maximumRetryAttempts < -1 || maximumRetryAttempts > 10_000) {
    throw new SettingsError(
      `custom.eventSourceMappings.${functionKey}.maximumRetryAttempts must be -1 or 0 to 10000, as AWS requires; got ${maximumRetryAttempts}.`,
    );
  }
  return {
    maximumRetryAttempts,
    maximumRecordAgeInSeconds,
    bisectBatchOnFunctionError: controls?.bisectBatchOnFunctionError ?? false,
    // Stryker disable next-line ArrayDeclaration: equivalent - any default without 'ReportBatchItemFailures' gives false
    reportBatchItemFailures: (controls?.functionResponseTypes ?? []).includes('ReportBatchItemFailures'),
    onFailureDestination: destination,
  };
}

/** The retries the mapping really makes: -1 with a destination is 10, as in AWS. */
export function effectiveRetries(controls: ResolvedErrorControls): number {
  return controls.maximumRetryAttempts === -1 && controls.onFailureDestination ? RETRIES_WITH_DESTINATION : controls.maximumRetryAttempts;
}

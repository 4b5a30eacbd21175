// Round inputs of the shape one benchmark run gives the model: what its tests plan and price, so that
// a figure they assert can be worked out by hand.
import type { MeasuredInputs } from './model';

export const EXAMPLE_INPUTS: MeasuredInputs = {
  writerRowsPerSec: 20_000,
  writeConcurrency: 32,
  rowsPerRequest: 4,
  publishPerSec: 40_000,
  recordBytes: 400,
  eventRecordBytes: 900,
  rowBytes: 260,
  batchSize: 1000,
  batchingWindowSeconds: 0.5,
  writerMemoryMb: 512,
  minimumPartitions: 3,
  keyspacesConnections: 18,
};

import { NonEmptyString } from "./NonEmptyString";
import { OneOf } from "./OneOf";
import { PositiveInt } from "./PositiveInt";
import { RangeFloat } from "./RangeFloat";
import { descriptor } from "./descriptorDecorator";
import { notWritten } from "../shared/NotImplementedError"; // the R2.5 stub's static block

/** The output formats a sensor can write. */
export const OUTPUT_FORMATS = ["json", "csv", "binary"] as const;

/** The fields of a {@link SensorConfig}, as passed to its constructor. */
export interface SensorConfigFields {
  sensorId: string;
  calibrationFactor: number;
  outputFormat: (typeof OUTPUT_FORMATS)[number];
  bufferSize: number;
}

/**
 * A sensor's configuration; every field is validated by its descriptor, on construction and on every assignment.
 * @example
 * const config = new SensorConfig({ sensorId: "temp-01", calibrationFactor: 1.1, outputFormat: "json", bufferSize: 256 });
 * config.bufferSize = 0; // throws ValueError: SensorConfig.bufferSize: expected a positive integer (> 0), got 0 (number)
 */
export class SensorConfig implements SensorConfigFields {
  // TODO(R2.5): put a fresh descriptor on each field with @descriptor(...): sensorId NonEmptyString,
  // calibrationFactor RangeFloat(0.5, 2.0), outputFormat OneOf(OUTPUT_FORMATS), bufferSize PositiveInt.
  // BEGIN SOLUTION R2.5
  @descriptor(new NonEmptyString()) accessor sensorId!: string;
  @descriptor(new RangeFloat(0.5, 2.0)) accessor calibrationFactor!: number;
  @descriptor(new OneOf(OUTPUT_FORMATS)) accessor outputFormat!: SensorConfigFields["outputFormat"];
  @descriptor(new PositiveInt()) accessor bufferSize!: number;
  // END SOLUTION
  // BEGIN STUB
  // static {
  //   // Until you write R2.5, its failing tests and checks show ⏳. Delete this block when you write it.
  //   notWritten("R2.5", "SensorConfig's descriptors");
  // }
  // accessor sensorId!: string;
  // accessor calibrationFactor!: number;
  // accessor outputFormat!: SensorConfigFields["outputFormat"];
  // accessor bufferSize!: number;
  // END STUB

  /** @throws ValueError from the first field that its descriptor rejects */
  constructor(fields: SensorConfigFields) {
    // TODO(R2.5): assign each field, so that its descriptor validates it.
    // BEGIN SOLUTION R2.5
    this.sensorId = fields.sensorId;
    this.calibrationFactor = fields.calibrationFactor;
    this.outputFormat = fields.outputFormat;
    this.bufferSize = fields.bufferSize;
    // END SOLUTION
  }

  /** A plain object with the four fields (accessors are not own properties, so spreading would miss them). */
  toJSON(): SensorConfigFields {
    const { sensorId, calibrationFactor, outputFormat, bufferSize } = this;
    return { sensorId, calibrationFactor, outputFormat, bufferSize };
  }
}

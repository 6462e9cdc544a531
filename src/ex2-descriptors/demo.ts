import { defaultLog, type Logger } from "../shared/Logger";
import { SensorConfig, type SensorConfigFields } from "./SensorConfig";
import { ValueError } from "./ValueError";

/** Options for {@link runExercise2Demo}. */
export interface Exercise2DemoOptions {
  log?: Logger;
}

/**
 * Runs the seed's main block: a valid SensorConfig, then five invalid assignments, each error caught and printed.
 * @returns the messages of the errors caught, in order
 */
export function runExercise2Demo(options: Exercise2DemoOptions = {}): string[] {
  const log = options.log ?? defaultLog;
  const caught: string[] = [];
  // TODO(R2.5): create a valid SensorConfig and print it (JSON.stringify(config)); then try five invalid assignments
  // (one per descriptor type, plus one extra). Catch only ValueError (anything else must escape): print it as
  // `${error.name}: ${error.message}` and push error.message onto `caught`.
  // BEGIN SOLUTION R2.5
  const config = new SensorConfig({ sensorId: "  temp-01 ", calibrationFactor: 1.25, outputFormat: "json", bufferSize: 256 });
  log(`valid: ${JSON.stringify(config)}`);
  // One invalid value per descriptor, plus an extra: a float where an int is required.
  const attempts: [keyof SensorConfigFields, unknown][] = [
    ["sensorId", ""],
    ["calibrationFactor", 2.5],
    // Stryker disable next-line StringLiteral: any string other than the three formats is an equally good attempt
    ["outputFormat", "xml"],
    ["bufferSize", 0],
    ["bufferSize", 12.5],
  ];
  for (const [field, value] of attempts) {
    try {
      (config as unknown as Record<string, unknown>)[field] = value;
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      caught.push(error.message);
      log(`${error.name}: ${error.message}`);
    }
  }
  // END SOLUTION
  return caught;
}

import { defaultLog, type Logger } from "../shared/Logger";
import { SensorConfig } from "./SensorConfig";
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
  const attempts: [string, (c: SensorConfig) => void][] = [
    ['sensorId = "   "', (c) => (c.sensorId = "   ")],
    ["calibrationFactor = 2.5", (c) => (c.calibrationFactor = 2.5)],
    ['outputFormat = "xml"', (c) => (c.outputFormat = "xml" as never)],
    ["bufferSize = 0", (c) => (c.bufferSize = 0)],
    ["bufferSize = 12.5 (extra: a float where an int is required)", (c) => (c.bufferSize = 12.5)],
  ];
  for (const [what, assign] of attempts) {
    try {
      assign(config);
      log(`accepted?! ${what}`);
    } catch (error) {
      if (!(error instanceof ValueError)) throw error;
      caught.push(error.message);
      log(`rejected ${what}\n  ${error.name}: ${error.message}`);
    }
  }
  log(`unchanged: ${JSON.stringify(config)}`);
  // END SOLUTION
  return caught;
}

import type { Logger } from "../shared/Logger";
import type * as Exercise1 from "../ex1-tiered-pipeline/demo";
import type * as Exercise2 from "../ex2-descriptors/demo";
import type * as Exercise3 from "../ex3-metrics/demo";
import type * as Exercise4 from "../ex4-resilience/demo";

/** What every exercise's main block accepts. */
export interface DemoOptions {
  seed?: number;
  log?: Logger;
}

/** One exercise's main block. */
export interface DemoEntry {
  exercise: number;
  title: string;
  /**
   * Loads the exercise's files and returns its main block. Loading happens only when the demo runs, so a file that
   * throws while loading costs only its own exercise, as with Python's `python exN.py`.
   */
  load: () => (options: DemoOptions) => unknown;
}

/** Every exercise's main block, in order; `npm start` runs them. */
export const DEMOS: readonly DemoEntry[] = [
  { exercise: 1, title: "TieredPipelineContext", load: () => (require("../ex1-tiered-pipeline/demo") as typeof Exercise1).runExercise1Demo },
  { exercise: 2, title: "Descriptor library and SensorConfig", load: () => (require("../ex2-descriptors/demo") as typeof Exercise2).runExercise2Demo },
  { exercise: 3, title: "Composable metrics decorators", load: () => (require("../ex3-metrics/demo") as typeof Exercise3).runExercise3Demo },
  { exercise: 4, title: "Retry with backoff and a circuit breaker", load: () => (require("../ex4-resilience/demo") as typeof Exercise4).runExercise4Demo },
];

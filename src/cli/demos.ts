import type { Logger } from "../shared/Logger";
import { runExercise1Demo } from "../ex1-tiered-pipeline/demo";
import { runExercise2Demo } from "../ex2-descriptors/demo";
import { runExercise3Demo } from "../ex3-metrics/demo";
import { runExercise4Demo } from "../ex4-resilience/demo";

/** What every exercise's main block accepts. */
export interface DemoOptions {
  seed?: number;
  log?: Logger;
}

/** One exercise's main block, or `undefined` while the exercise is not built yet. */
export interface DemoEntry {
  exercise: number;
  title: string;
  run?: (options: DemoOptions) => unknown;
}

/** Every exercise's main block, in order; `npm start` runs them. */
export const DEMOS: readonly DemoEntry[] = [
  { exercise: 1, title: "TieredPipelineContext", run: runExercise1Demo },
  { exercise: 2, title: "Descriptor library and SensorConfig", run: runExercise2Demo },
  { exercise: 3, title: "Composable metrics decorators", run: runExercise3Demo },
  { exercise: 4, title: "Retry with backoff and a circuit breaker", run: runExercise4Demo },
];

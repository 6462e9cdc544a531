import { randomInt, type Random } from "./Random";

/** One record flowing through a pipeline. */
export interface PipelineRecord {
  id: number;
  value: number;
}

/**
 * Makes `count` records with ids 1..count and integer values in [0, 100].
 * @param random - the seeded source the values come from
 */
export function makeRecords(count: number, random: Random): PipelineRecord[] {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, value: randomInt(random, 0, 100) }));
}

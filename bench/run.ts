import { benchExercise3 } from "./ex3";

const BENCHES: Record<string, () => void> = { "3": () => benchExercise3() };
const chosen = process.argv.slice(2).filter((a) => a in BENCHES);
for (const key of chosen.length > 0 ? chosen : Object.keys(BENCHES)) BENCHES[key]();

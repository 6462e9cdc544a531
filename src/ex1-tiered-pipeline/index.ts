export * from "./types";
export * from "./errors";
export * from "./InMemoryTextFile";
export * from "./formatSummary";
export * from "./TieredPipelineContext";
export * from "./stages";
export * from "./demo";

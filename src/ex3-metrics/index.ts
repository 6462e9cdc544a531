export * from "./percentile";
export * from "./StageMetrics";
export * from "./MetricsRegistry";
export * from "./countedStage";
export * from "./timedStage";
export * from "./FeaturePipeline";
export * from "./demo";

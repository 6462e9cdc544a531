export * from "./errors";
export * from "./exponentialBackoff";
export * from "./CircuitBreakerDecorator";
export * from "./UnreliableSensorSource";
export * from "./demo";
export * from "./timelineChart";

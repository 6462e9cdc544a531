export * from "./shared/Logger";
export * from "./shared/Random";
export * from "./shared/NotImplementedError";
export * from "./shared/SuppressedError";
export * from "./ex1-tiered-pipeline";
export * from "./ex2-descriptors";
export * from "./notebook/check";

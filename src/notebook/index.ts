export * from "./check";
export * from "./example";
export * from "./reload";

export * from "./check";
export * from "./example";

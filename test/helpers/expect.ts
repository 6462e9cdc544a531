import * as chai from "chai";

// Failure messages show whole values: a student needs to see what came, not "[ Array(12) ]".
chai.config.truncateThreshold = 0;

/** chai's `expect`, with messages that are never truncated. */
export const expect = chai.expect;

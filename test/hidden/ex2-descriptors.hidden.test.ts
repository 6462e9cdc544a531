import { expect } from "../helpers/expect";
import * as sinon from "sinon";
import {
  Descriptor,
  NonEmptyString,
  OneOf,
  PositiveInt,
  RangeFloat,
  SensorConfig,
  ValueError,
  describeValue,
  descriptor,
  runExercise2Demo,
  type AccessorStorage,
  type SensorConfigFields,
} from "../../src/ex2-descriptors";
import { caught } from "../helpers/capture";
import { accepts, attached, rejection } from "../helpers/ex2-harness";

/**
 * Hidden tests (never released): the same documented rules as test/ex2-descriptors.test.ts, on other classes,
 * attribute names, bounds, allowed values and numbers.
 */

/** A test-local descriptor that doubles numbers, so the mechanism is checked apart from the four descriptors. */
class Twice extends Descriptor<number> {
  validate(value: unknown): number {
    if (typeof value !== "number") this.reject("a number", value);
    return value * 2;
  }
}

class Thermostat {
  @descriptor(new NonEmptyString()) accessor room!: string;
  @descriptor(new Twice()) accessor setpoint!: number;
}

describe("Exercise 2 — hidden tests", () => {
  describe("R2.1 the descriptor mechanism and NonEmptyString", () => {
    it("R2.1 stores trimmed strings on another class and rejects blanks and non-strings there, keeping the old value", () => {
      const t = new Thermostat();
      for (const [value, stored] of [["\u00a0kitchen\u00a0", "kitchen"], ["\n\nhall 2", "hall 2"], ["é", "é"]]) {
        t.room = value;
        expect(t.room, `room after assigning ${JSON.stringify(value)}`).to.equal(stored);
      }
      for (const value of ["\u00a0 \t", 0, NaN, {}, false]) {
        const error = caught(() => ((t as unknown as { room: unknown }).room = value));
        expect(error, `what assigning ${describeValue(value)} threw`).to.be.instanceOf(ValueError);
        expect((error as Error).message, `message for ${describeValue(value)}`).to.match(/^Thermostat\.room: /).and.include(describeValue(value));
        expect(t.room, `room after the rejected ${describeValue(value)}`).to.equal("é");
      }
    });

    it("R2.1 get, set and setName on another owner, attribute, slot and instance", () => {
      const d = new Twice();
      d.setName(Thermostat, "offset");
      expect([d.owner, d.name, d.label], "[owner, name, label] after setName(Thermostat, \"offset\")").to.deep.equal([Thermostat, "offset", "Thermostat.offset"]);
      const writes: [object, number][] = [];
      let value = 7;
      const storage: AccessorStorage<number> = {
        get(this: object) {
          return this === instance ? value : -1;
        },
        set(this: object, v: number) {
          writes.push([this, v]);
          value = v;
        },
      };
      const instance = { tag: "mine" };
      expect(d.get(undefined, storage), "get(undefined, storage)").to.equal(d);
      expect(d.get(instance, storage), "get(instance, storage) reads the slot with the instance as `this`").to.equal(7);
      d.set(instance, 21, storage);
      expect(writes, "writes after set(instance, 21)").to.deep.equal([[instance, 42]]);
      expect(caught(() => d.set(instance, "21", storage)), "set(instance, \"21\")").to.be.instanceOf(ValueError).with.property("message").that.match(/^Thermostat\.offset: /);
      expect(writes, "writes after a rejected value").to.have.length(1);
      const t = new Thermostat();
      t.setpoint = 10.5;
      expect(t.setpoint, "setpoint after assigning 10.5 through the decorator").to.equal(21);
      expect((Thermostat.prototype as unknown as Record<string, unknown>).setpoint, "Thermostat.prototype.setpoint").to.be.instanceOf(Twice);
    });
  });

  describe("R2.2 RangeFloat", () => {
    it("R2.2 negative bounds: both included, outside rejected with both bounds in the message", () => {
      const d = attached(new RangeFloat(-10, -2.5), "offset");
      for (const value of [-10, -2.5, -3, -9.999]) accepts(d, value);
      for (const value of [-2.4999, -10.0001, 0, 2.5, 10]) {
        const { message } = rejection(d, value);
        expect(message, `message for ${value} should state the bounds -10 and -2.5`).to.include("-10").and.include("-2.5");
      }
    });

    it("R2.2 other bounds and non-numbers: [100, 250] accepts 100, 175.25 and 250 only among these", () => {
      const d = attached(new RangeFloat(100, 250), "pressure");
      for (const value of [100, 175.25, 250]) accepts(d, value);
      for (const value of [99.99, 250.01, "150", Number.NaN, -Infinity, false, null, 150n, { valueOf: () => 150 }]) rejection(d, value);
    });
  });

  describe("R2.3 OneOf", () => {
    it("R2.3 another list: each accepted, the message lists all four, strict comparison", () => {
      const d = attached(new OneOf(["north", "south", "east", "west"]), "heading");
      for (const value of ["north", "south", "east", "west"]) accepts(d, value);
      const { message } = rejection(d, "up");
      for (const allowed of ["north", "south", "east", "west"]) expect(message, `message for "up" should list ${allowed}`).to.include(allowed);
      for (const value of ["North", "west ", "", "n"]) rejection(d, value);
    });

    it("R2.3 falsy allowed values are accepted as they are, and nothing is coerced to them", () => {
      const d = attached(new OneOf([0, false, ""]), "blank");
      for (const value of [0, false, ""]) accepts(d, value);
      for (const value of [null, undefined, "0", "false", [], " "]) rejection(d, value);
      const levels = attached(new OneOf([3, 6, 9]), "level");
      const { message } = rejection(levels, 12);
      for (const allowed of ["3", "6", "9"]) expect(message, `message for 12 should list ${allowed}`).to.include(allowed);
    });
  });

  describe("R2.4 PositiveInt", () => {
    it("R2.4 other integers: accepts 3, 7, 1e6 and 2^53 − 2; rejects −7, 2^53 + 2, 1e21, fractions and look-alikes", () => {
      const d = attached(new PositiveInt(), "retries");
      for (const value of [3, 7, 1e6, 2 ** 53 - 2]) accepts(d, value);
      for (const value of [-7, -0.5, 2 ** 53 + 2, 1e21, 3.0000001, Number.EPSILON, -Infinity, "12", [5], {}, false]) rejection(d, value);
    });
  });

  describe("R2.5 SensorConfig and the main block", () => {
    const OTHER: SensorConfigFields = { sensorId: "hum-7", calibrationFactor: 0.5, outputFormat: "binary", bufferSize: 1 };

    it("R2.5 the constructor validates other values: boundaries accepted, each kind of invalid value rejected by its field", () => {
      expect(new SensorConfig({ ...OTHER, sensorId: "\thum-7 " }).toJSON(), "a config at the lower bounds").to.deep.equal(OTHER);
      expect(new SensorConfig({ ...OTHER, calibrationFactor: 2, bufferSize: 65536, outputFormat: "json" }).toJSON(), "a config at the upper bound").to.deep.equal({ ...OTHER, calibrationFactor: 2, bufferSize: 65536, outputFormat: "json" });
      const bad: [keyof SensorConfigFields, unknown][] = [["sensorId", 5], ["calibrationFactor", 0.49], ["outputFormat", "JSON"], ["bufferSize", 0]];
      for (const [key, value] of bad) {
        const error = caught(() => new SensorConfig({ ...OTHER, [key]: value } as SensorConfigFields));
        expect(error, `new SensorConfig with ${key} = ${describeValue(value)}`).to.be.instanceOf(ValueError);
        expect((error as Error).message, `message for ${key} = ${describeValue(value)}`).to.match(new RegExp(`^SensorConfig\\.${key}: `));
      }
    });

    it("R2.5 valid later assignments are stored (validated), invalid ones keep the value", () => {
      const config = new SensorConfig(OTHER) as unknown as Record<string, unknown>;
      for (const [key, value, stored] of [["sensorId", "  p-3 ", "p-3"], ["calibrationFactor", 1.75, 1.75], ["outputFormat", "csv", "csv"], ["bufferSize", 3, 3]] as const) {
        config[key] = value;
        expect(config[key], `${key} after assigning ${describeValue(value)}`).to.equal(stored);
      }
      for (const [key, value] of [["sensorId", 42], ["calibrationFactor", -1], ["outputFormat", "yaml"], ["bufferSize", 2 ** 53]] as const) {
        const before = config[key];
        expect(() => (config[key] = value), `assigning ${describeValue(value)} to ${key}`).to.throw(ValueError);
        expect(config[key], `${key} after the rejected assignment`).to.equal(before);
      }
    });

    it("R2.5 the main block catches only ValueError: an error from another descriptor escapes too", () => {
      const bug = new RangeError("a bug in OneOf");
      const stub = sinon.stub(OneOf.prototype, "validate").callsFake(function (this: OneOf<readonly unknown[]>, v: unknown) {
        if (this.allowedValues.includes(v)) return v;
        throw bug;
      });
      try {
        expect(caught(() => runExercise2Demo({ log: () => {} })), "what runExercise2Demo threw").to.equal(bug);
      } finally {
        stub.restore();
      }
    });
  });
});

import { expect } from "./helpers/expect";
import fc from "fast-check";
import * as ts from "@tslab/typescript-for-tslab";
import * as lib from "../src/ex2-descriptors";
import {
  Descriptor,
  NonEmptyString,
  OneOf,
  PositiveInt,
  RangeFloat,
  SensorConfig,
  ValueError,
  descriptor,
  runExercise2Demo,
  type SensorConfigFields,
} from "../src/ex2-descriptors";
import { captureLog, caught } from "./helpers/capture";

const VALID: SensorConfigFields = { sensorId: "temp-01", calibrationFactor: 1, outputFormat: "csv", bufferSize: 64 };

/** Asserts that assigning `value` to `key` throws ValueError matching `pattern` and keeps the old value. */
function expectRejected(key: keyof SensorConfigFields, value: unknown, pattern: RegExp): ValueError {
  const config = new SensorConfig(VALID);
  const error = caught(() => ((config as unknown as Record<string, unknown>)[key] = value));
  expect(error).to.be.instanceOf(ValueError);
  expect((error as Error).message).to.match(pattern);
  expect(config[key]).to.equal(VALID[key]);
  return error as ValueError;
}

/** Reads an attribute through the prototype: Python's `SensorConfig.sensorId` on the class. */
function classSide(key: string): unknown {
  return (SensorConfig.prototype as unknown as Record<string, unknown>)[key];
}

/** What `assignsExactly` expects for a value the descriptor must refuse. */
const REJECT = Symbol("reject");

/**
 * Property check for one SensorConfig field: every generated value is either stored (read back as `expected(v)`)
 * or rejected with ValueError, leaving the previous value in place.
 * @param expected - what a valid value reads back as, or `REJECT` when the descriptor must refuse it
 */
function assignsExactly(key: keyof SensorConfigFields, values: fc.Arbitrary<unknown>, expected: (v: unknown) => unknown): void {
  const config = new SensorConfig(VALID) as unknown as Record<string, unknown>;
  fc.assert(
    fc.property(fc.oneof(values, fc.constantFrom(...BOUNDARIES)), (v) => {
      const before = config[key];
      const stored = expected(v);
      if (stored === REJECT) {
        expect(() => (config[key] = v)).to.throw(ValueError);
        expect(config[key]).to.equal(before);
      } else {
        config[key] = v;
        expect(config[key]).to.equal(stored);
      }
    }),
    { seed: 34, numRuns: 300 },
  );
}

/** Values at or next to every descriptor's edge, always in the mix (a fixed seed keeps runs repeatable). */
const BOUNDARIES = [0, -0, 1, -1, 0.5, 0.4999, 2, 2.0001, 1.5, NaN, Infinity, "", " ", " x ", "1", 2 ** 53, Number.MAX_SAFE_INTEGER];
/** A class defined in the test, to prove the descriptors work on any class, not only SensorConfig. */
class Probe {
  @descriptor(new NonEmptyString()) accessor label!: string;
  @descriptor(new RangeFloat(-1, 1)) accessor gain = 0;
  @descriptor(new OneOf([1, 2, 3])) accessor level!: 1 | 2 | 3;
  @descriptor(new PositiveInt()) accessor count!: number;
}

describe("Exercise 2 — descriptor library", () => {
  describe("R2.1 NonEmptyString, __set_name__ and __get__", () => {
    it("R2.1 stores strings with surrounding whitespace stripped", () => {
      const config = new SensorConfig({ ...VALID, sensorId: "  \t temp-02 \n" });
      expect(config.sensorId).to.equal("temp-02");
      config.sensorId = " a b ";
      expect(config.sensorId).to.equal("a b");
    });

    it("R2.1 rejects empty and whitespace-only strings, naming attribute, rule and value", () => {
      for (const value of ["", " ", "\t\n  "]) {
        expectRejected("sensorId", value, /^SensorConfig\.sensorId: expected a non-empty string.*got ".*" \(string\)$/s);
      }
    });

    it("R2.1 rejects non-string types", () => {
      for (const value of [42, null, undefined, true, ["a"], { toString: () => "x" }, Symbol.iterator]) {
        expectRejected("sensorId", value, /SensorConfig\.sensorId: expected a string, got/);
      }
    });

    it("R2.1 reading the attribute on the class returns the descriptor itself", () => {
      expect(classSide("sensorId")).to.be.instanceOf(NonEmptyString);
      expect(classSide("calibrationFactor")).to.be.instanceOf(RangeFloat);
      expect(classSide("outputFormat")).to.be.instanceOf(OneOf);
      expect(classSide("bufferSize")).to.be.instanceOf(PositiveInt);
      const d = new NonEmptyString();
      expect(d.get(undefined, () => "stored")).to.equal(d);
      expect(d.get({}, () => "stored")).to.equal("stored");
    });

    it("R2.1 each descriptor learns its owner class and attribute name (__set_name__)", () => {
      new SensorConfig(VALID);
      const d = classSide("outputFormat") as Descriptor<unknown>;
      expect(d.name).to.equal("outputFormat");
      expect(d.owner).to.equal(SensorConfig);
      expect(d.label).to.equal("SensorConfig.outputFormat");
    });

    it("R2.1 values live in a private slot per instance: two instances never share, nothing public bypasses", () => {
      const a = new SensorConfig(VALID);
      const b = new SensorConfig({ ...VALID, sensorId: "other" });
      expect([a.sensorId, b.sensorId]).to.deep.equal(["temp-01", "other"]);
      expect(Object.keys(a)).to.deep.equal([]);
      expect(Object.getOwnPropertySymbols(a)).to.deep.equal([]);
      expect(JSON.parse(JSON.stringify(a))).to.deep.equal(VALID);
    });

    it("R2.1 works on any class, and validates field initializers", () => {
      const probe = new Probe();
      expect(probe.gain).to.equal(0);
      expect(() => (probe.label = " ")).to.throw(ValueError, /Probe\.label/);
      probe.label = " ok ";
      expect(probe.label).to.equal("ok");
      class BadInit {
        @descriptor(new RangeFloat(0, 1)) accessor ratio = 5;
      }
      expect(() => new BadInit()).to.throw(ValueError, /BadInit\.ratio: expected a number in \[0, 1\]/);
    });

    it("R2.1 property: any string with non-whitespace content is stored trimmed; blank strings are rejected", () => {
      assignsExactly("sensorId", fc.string(), (s) => (typeof s !== "string" || s.trim() === "" ? REJECT : s.trim()));
    });
  });

  describe("R2.2 RangeFloat", () => {
    it("R2.2 accepts numbers inside the bounds, both bounds included, ints included", () => {
      const config = new SensorConfig(VALID);
      for (const value of [0.5, 2.0, 1, 1.999999]) {
        config.calibrationFactor = value;
        expect(config.calibrationFactor).to.equal(value);
      }
    });

    it("R2.2 rejects values outside the bounds with a message that states them", () => {
      for (const value of [0.49999, 2.00001, -1, 1e9]) {
        expectRejected("calibrationFactor", value, /expected a number in \[0\.5, 2\] \(inclusive\), got .* \(number\)/);
      }
    });

    it("R2.2 rejects NaN, ±Infinity, numeric strings, booleans, null and bigint", () => {
      for (const value of [NaN, Infinity, -Infinity, "1.0", true, null, 1n]) {
        expectRejected("calibrationFactor", value, /SensorConfig\.calibrationFactor: expected a finite number/);
      }
    });

    it("R2.2 validates its own bounds", () => {
      expect(() => new RangeFloat(2, 1)).to.throw(RangeError, /minVal <= maxVal/);
      expect(() => new RangeFloat(NaN, 1)).to.throw(RangeError, /finite bounds/);
      expect(() => new RangeFloat(0, Infinity)).to.throw(RangeError, /finite bounds/);
      expect(new RangeFloat(1, 1).validate(1)).to.equal(1);
    });

    it("R2.2 property: accepted exactly when finite and within [0.5, 2.0]", () => {
      assignsExactly("calibrationFactor", fc.oneof(fc.double(), fc.integer(), fc.double({ min: 0.5, max: 2 })), (x) =>
        typeof x === "number" && Number.isFinite(x) && x >= 0.5 && x <= 2 ? x : REJECT,
      );
    });
  });

  describe("R2.3 OneOf", () => {
    it("R2.3 accepts every allowed value", () => {
      const config = new SensorConfig(VALID);
      for (const value of ["json", "csv", "binary"] as const) {
        config.outputFormat = value;
        expect(config.outputFormat).to.equal(value);
      }
    });

    it("R2.3 the error message lists every allowed value", () => {
      const error = expectRejected("outputFormat", "xml", /expected one of "json", "csv", "binary", got "xml" \(string\)/);
      for (const allowed of ["json", "csv", "binary"]) expect(error.message).to.include(`"${allowed}"`);
    });

    it("R2.3 compares strictly: case, type and look-alikes are rejected", () => {
      for (const value of ["JSON", " json", null, undefined, 0]) expectRejected("outputFormat", value, /expected one of/);
      const probe = new Probe();
      expect(() => ((probe as unknown as { level: unknown }).level = "1")).to.throw(ValueError, /one of 1, 2, 3, got "1"/);
    });

    it("R2.3 rejects an empty list and types the attribute as the union of the allowed literals", () => {
      expect(() => new OneOf([])).to.throw(RangeError, /non-empty/);
      const config = new SensorConfig(VALID);
      // @ts-expect-error "xml" is not in "json" | "csv" | "binary" (npm run typecheck proves this line stays an error)
      expect(() => (config.outputFormat = "xml")).to.throw(ValueError);
    });

    it("R2.3 property: accepted exactly when one of the list", () => {
      const d = new OneOf(["a", 1, true]);
      fc.assert(
        fc.property(fc.oneof(fc.constantFrom("a", 1, true), fc.anything()), (v) => {
          if (v === "a" || v === 1 || v === true) expect(d.validate(v)).to.equal(v);
          else expect(() => d.validate(v)).to.throw(ValueError);
        }),
      );
    });
  });

  describe("R2.4 PositiveInt", () => {
    it("R2.4 accepts positive safe integers", () => {
      const config = new SensorConfig(VALID);
      for (const value of [1, 2, 4096, Number.MAX_SAFE_INTEGER]) {
        config.bufferSize = value;
        expect(config.bufferSize).to.equal(value);
      }
    });

    it("R2.4 rejects zero and negatives", () => {
      for (const value of [0, -0, -1, -4096]) expectRejected("bufferSize", value, /expected a positive integer \(> 0\)/);
    });

    it("R2.4 rejects fractions, NaN, Infinity, unsafe integers, numeric strings, booleans and bigint (strict)", () => {
      for (const value of [1.5, 0.1, NaN, Infinity, 2 ** 53, "5", true, 5n, null]) {
        expectRejected("bufferSize", value, /expected a safe integer \(no fractions\)/);
      }
    });

    it("R2.4 property: accepted exactly when a safe integer > 0", () => {
      assignsExactly("bufferSize", fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger()), (x) =>
        typeof x === "number" && Number.isSafeInteger(x) && x > 0 ? x : REJECT,
      );
    });
  });

  describe("R2.5 SensorConfig and the main block", () => {
    it("R2.5 SensorConfig uses the four descriptors with the seed's parameters", () => {
      const range = classSide("calibrationFactor") as RangeFloat;
      expect([range.minVal, range.maxVal]).to.deep.equal([0.5, 2.0]);
      const oneOf = classSide("outputFormat") as OneOf<readonly string[]>;
      expect(oneOf.allowedValues).to.deep.equal(["json", "csv", "binary"]);
      const config = new SensorConfig({ ...VALID, sensorId: " s " });
      expect(config.toJSON()).to.deep.equal({ ...VALID, sensorId: "s" });
    });

    it("R2.5 the constructor validates every field through its descriptor", () => {
      const bad: [keyof SensorConfigFields, unknown][] = [
        ["sensorId", ""],
        ["calibrationFactor", 3],
        ["outputFormat", "xml"],
        ["bufferSize", -1],
      ];
      for (const [key, value] of bad) {
        expect(() => new SensorConfig({ ...VALID, [key]: value } as SensorConfigFields)).to.throw(ValueError, new RegExp(`SensorConfig\\.${key}`));
      }
    });

    it("R2.5 the main block prints a valid config, then catches and prints five invalid assignments", () => {
      const { log, lines } = captureLog();
      const messages = runExercise2Demo({ log });
      expect(messages).to.have.length(5);
      for (const attr of ["sensorId", "calibrationFactor", "outputFormat", "bufferSize"]) {
        expect(messages.some((m) => m.startsWith(`SensorConfig.${attr}:`))).to.equal(true, attr);
      }
      expect(lines[0]).to.match(/^valid: \{"sensorId":/);
      expect(lines.filter((l) => l.includes("ValueError: "))).to.have.length(5);
      expect(lines.join("\n")).to.not.include("accepted?!");
    });
  });

  describe("R2.x legacy decorators, as a tslab notebook cell compiles them", () => {
    it("R2.1 R2.2 R2.3 R2.4 the same descriptors work under experimentalDecorators with TypeScript 5.0", () => {
      const cell = `
        import { descriptor, NonEmptyString, RangeFloat, OneOf, PositiveInt, ValueError } from "lib";
        class Meter {
          @descriptor(new NonEmptyString()) accessor name!: string;
          @descriptor(new RangeFloat(0, 10)) accessor volts!: number;
          @descriptor(new OneOf(["ac", "dc"])) accessor mode!: "ac" | "dc";
          @descriptor(new PositiveInt()) accessor samples!: number;
        }
        const m = new Meter();
        m.name = "  m1 "; m.volts = 10; m.mode = "dc"; m.samples = 3;
        const errors: string[] = [];
        for (const attempt of [() => (m.name = ""), () => (m.volts = 11), () => (m.mode = "x" as any), () => (m.samples = 0)]) {
          try { attempt(); } catch (e) { if (e instanceof ValueError) errors.push(e.message); }
        }
        result = { values: [m.name, m.volts, m.mode, m.samples], errors, classSide: (Meter.prototype as any).volts };
      `;
      expect(ts.version).to.equal("5.0.4");
      const out = ts.transpileModule(`declare let result: any;\n${cell}`, {
        reportDiagnostics: true,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: true },
      });
      expect(out.diagnostics ?? []).to.deep.equal([]);
      expect(out.outputText).to.include("__decorate(");
      const scope: { result?: { values: unknown[]; errors: string[]; classSide: unknown } } = {};
      new Function("require", "exports", "scope", `let result; ${out.outputText}; scope.result = result;`)(() => lib, {}, scope);
      expect(scope.result!.values).to.deep.equal(["m1", 10, "dc", 3]);
      expect(scope.result!.errors).to.deep.equal([
        'Meter.name: expected a non-empty string (after trimming whitespace), got "" (string)',
        "Meter.volts: expected a number in [0, 10] (inclusive), got 11 (number)",
        'Meter.mode: expected one of "ac", "dc", got "x" (string)',
        "Meter.samples: expected a positive integer (> 0), got 0 (number)",
      ]);
      expect(scope.result!.classSide).to.be.instanceOf(RangeFloat);
    });

    it("R2.x given: a decorated plain field (without accessor) gets a clear error in legacy mode", () => {
      const decorate = descriptor(new PositiveInt()) as (p: object, k: string) => unknown;
      class Plain {}
      expect(() => decorate(Plain.prototype, "n")).to.throw(TypeError, /Plain\.n must be declared with the accessor keyword/);
    });
  });
});

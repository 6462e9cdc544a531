import { expect } from "./helpers/expect";
import fc from "fast-check";
import * as sinon from "sinon";
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
  describeValue,
  descriptor,
  runExercise2Demo,
  type AccessorStorage,
  type SensorConfigFields,
} from "../src/ex2-descriptors";
import { captureLog, caught } from "./helpers/capture";
import { accepts, attached, rejection } from "./helpers/ex2-harness";

/** Values at or next to every descriptor's edge, always in the mix (a fixed seed keeps runs repeatable). */
const BOUNDARIES = [0, -0, 1, -1, 0.5, 0.4999, 2, 2.0001, 1.5, NaN, Infinity, "", " ", " x ", "1", 2 ** 53, Number.MAX_SAFE_INTEGER];
const FC = { seed: 34, numRuns: 200 };

/** Property check of one descriptor's validate: `expected(v)` is what it returns, or REJECT. */
const REJECT = Symbol("reject");
function validatesExactly(d: Descriptor<unknown>, values: fc.Arbitrary<unknown>, expected: (v: unknown) => unknown): void {
  holds(
    fc.property(fc.oneof(values, fc.constantFrom(...BOUNDARIES)), (v) => {
      const want = expected(v);
      if (want === REJECT) rejection(d, v);
      else accepts(d, v, want);
    }),
  );
}

/**
 * Runs a property with the suite's seed and throws the smallest failing value's own error (its message names the
 * value), without fast-check's report and hints around it.
 */
function holds<T>(property: fc.IProperty<T>): void {
  const details = fc.check(property, FC);
  if (!details.failed) return;
  if (details.errorInstance instanceof Error) throw details.errorInstance;
  throw new Error(fc.defaultReportMessage(details) ?? "the property failed");
}

/** A test-local descriptor: upper-cases strings, so the mechanism tests do not depend on NonEmptyString's rules. */
class Shout extends Descriptor<string> {
  validate(value: unknown): string {
    if (typeof value !== "string") this.reject("a string", value);
    return value.toUpperCase();
  }
}

/** A class defined in the test, so R2.1 never needs SensorConfig (R2.5). */
class Probe {
  @descriptor(new NonEmptyString()) accessor label!: string;
  @descriptor(new Shout()) accessor word!: string;
}

/** Reads an attribute through the prototype: Python's `Probe.label` on the class. */
function classSide(cls: Function, key: string): unknown {
  try {
    return (cls.prototype as Record<string, unknown>)[key];
  } catch (error) {
    // A plain `accessor` field (no descriptor yet) cannot be read on the prototype: say so instead of V8's words.
    throw new Error(
      `expected ${cls.name}.prototype.${key} to be its descriptor (a field decorated with @descriptor(…)), but reading it threw ${String(error)}`,
      { cause: error },
    );
  }
}

/** A storage slot the test can watch. */
function slot<T>(initial: T) {
  const writes: [object, T][] = [];
  const storage: AccessorStorage<T> & { value: T } = {
    value: initial,
    get(this: object) {
      return storage.value;
    },
    set(this: object, v: T) {
      writes.push([this, v]);
      storage.value = v;
    },
  };
  return { storage, writes };
}

describe("Exercise 2 — descriptor library", () => {
  describe("R2.1 the descriptor mechanism and NonEmptyString", () => {
    it("R2.1 NonEmptyString stores strings with surrounding whitespace stripped", () => {
      const probe = new Probe();
      for (const [value, stored] of [["  \t temp-02 \n", "temp-02"], [" a b ", "a b"], ["x", "x"]]) {
        probe.label = value;
        expect(probe.label, `label after assigning ${JSON.stringify(value)}`).to.equal(stored);
      }
    });

    it("R2.1 NonEmptyString rejects empty and whitespace-only strings with ValueError, keeping the old value", () => {
      const probe = new Probe();
      probe.label = "kept";
      for (const value of ["", " ", "\t\n  "]) {
        const error = caught(() => (probe.label = value));
        expect(error, `what assigning ${JSON.stringify(value)} threw`).to.be.instanceOf(ValueError);
        expect((error as Error).message, `message for ${JSON.stringify(value)}`).to.match(/^Probe\.label: /).and.include(describeValue(value));
        expect(probe.label, `label after the rejected ${JSON.stringify(value)}`).to.equal("kept");
      }
    });

    it("R2.1 NonEmptyString rejects non-string types", () => {
      for (const value of [42, null, undefined, true, ["a"], { toString: () => "x" }, Symbol.iterator]) {
        rejection(attached(new NonEmptyString(), "sensorId"), value);
      }
    });

    it("R2.1 __get__: reading the attribute on the class returns the descriptor itself; on an instance, the stored value", () => {
      const label = classSide(Probe, "label");
      expect(label, "Probe.prototype.label").to.be.instanceOf(NonEmptyString);
      expect(classSide(Probe, "word"), "Probe.prototype.word").to.be.instanceOf(Shout);
      const d = new Shout();
      const { storage } = slot("stored");
      expect(d.get(undefined, storage), "get(undefined, storage)").to.equal(d);
      expect(d.get({}, storage), "get(instance, storage)").to.equal("stored");
    });

    it("R2.1 __set__: validates, then stores what validate returned in the instance's slot; a rejected value is not stored", () => {
      const d = attached(new Shout());
      const { storage, writes } = slot("old");
      const instance = {};
      d.set(instance, "hi", storage);
      expect(writes, "writes to the slot after set(instance, \"hi\")").to.deep.equal([[instance, "HI"]]);
      expect(writes[0][0] === instance, "the slot was written with the instance as `this`").to.equal(true);
      expect(() => d.set(instance, 42, storage), "set(instance, 42)").to.throw(ValueError);
      expect(writes, "writes to the slot after a rejected value").to.have.length(1);
    });

    it("R2.1 __set_name__: each descriptor learns its owner class and attribute name", () => {
      const d = new Shout();
      d.setName(Probe, "word");
      expect([d.owner, d.name, d.label], "[owner, name, label] after setName(Probe, \"word\")").to.deep.equal([Probe, "word", "Probe.word"]);
      const probe = new Probe();
      probe.word = "x";
      const attachedShout = classSide(Probe, "word") as Shout;
      expect(attachedShout.label, "label of the descriptor on Probe.word").to.equal("Probe.word");
      expect(caught(() => ((probe as unknown as { word: unknown }).word = 1)), "assigning 1 to Probe.word").to.have.property("message").that.match(/^Probe\.word: /);
    });

    it("R2.1 values live in the accessor's private slot per instance: two instances never share, nothing public bypasses", () => {
      const a = new Probe();
      const b = new Probe();
      a.label = "a";
      b.label = "b";
      a.word = "x";
      expect([a.label, b.label, a.word, b.word], "[a.label, b.label, a.word, b.word]").to.deep.equal(["a", "b", "X", undefined]);
      expect(Object.keys(a), "own keys of an instance").to.deep.equal([]);
      expect(Object.getOwnPropertySymbols(a), "own symbols of an instance").to.deep.equal([]);
    });

    it("R2.1 field initializers are checked too (standard decorators)", () => {
      class Padded {
        @descriptor(new NonEmptyString()) accessor name = "  pad  ";
      }
      expect(new Padded().name, "an initializer of \"  pad  \"").to.equal("pad");
      class Blank {
        @descriptor(new NonEmptyString()) accessor name = "   ";
      }
      expect(() => new Blank(), "an initializer of \"   \"").to.throw(ValueError, /^Blank\.name: /);
    });

    it("R2.1 property: any string with non-whitespace content is stored trimmed; anything else is rejected", () => {
      const nonStrings = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constantFrom(null, undefined, 1n, ["a"], { a: "x" }));
      validatesExactly(attached(new NonEmptyString()), fc.oneof(fc.string(), nonStrings), (s) =>
        typeof s !== "string" || s.trim() === "" ? REJECT : s.trim(),
      );
    });

    it("R2.1 the mechanism works under experimentalDecorators with TypeScript 5.0, as a tslab notebook cell compiles it", () => {
      const cell = `
        import { descriptor, NonEmptyString, ValueError, Shout } from "lib";
        class Meter {
          @descriptor(new NonEmptyString()) accessor name!: string;
          @descriptor(new Shout()) accessor mode!: string;
        }
        const m = new Meter();
        m.name = "  m1 "; m.mode = "dc";
        const errors: string[] = [];
        for (const attempt of [() => (m.name = ""), () => ((m as any).mode = 3)]) {
          try { attempt(); } catch (e) { if (e instanceof ValueError) errors.push(e.message); }
        }
        result = { values: [m.name, m.mode], errors, classSide: (Meter.prototype as any).name, keys: Object.keys(m) };
      `;
      expect(ts.version, "tslab's TypeScript").to.equal("5.0.4");
      const out = ts.transpileModule(`declare let result: any;\n${cell}`, {
        reportDiagnostics: true,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: true },
      });
      expect(out.diagnostics ?? [], "TypeScript 5.0 diagnostics").to.deep.equal([]);
      expect(out.outputText, "legacy decorator output").to.include("__decorate(");
      const scope: { result?: { values: unknown[]; errors: string[]; classSide: unknown; keys: string[] } } = {};
      new Function("require", "exports", "scope", `let result; ${out.outputText}; scope.result = result;`)(() => ({ ...lib, Shout }), {}, scope);
      const result = scope.result!;
      expect(result.values, "[name, mode] after assigning \"  m1 \" and \"dc\"").to.deep.equal(["m1", "DC"]);
      expect(result.errors.map((e) => e.split(":")[0]), "attributes named by the two ValueErrors").to.deep.equal(["Meter.name", "Meter.mode"]);
      expect(result.classSide, "Meter.prototype.name").to.be.instanceOf(NonEmptyString);
    });

    it("R2.x given: @descriptor calls setName once before the first access, then get/set on every access, under both protocols", () => {
      const calls: string[] = [];
      class Spy extends Descriptor<number> {
        override setName(owner: Function, name: string) {
          calls.push(`setName(${owner.name}, ${name})`);
        }
        override get(instance: object | undefined, storage: AccessorStorage<number>) {
          calls.push(instance === undefined ? "get(class)" : "get");
          return instance === undefined ? this : storage.get.call(instance);
        }
        override set(instance: object, value: unknown, storage: AccessorStorage<number>) {
          calls.push(`set(${String(value)})`);
          storage.set.call(instance, value as number);
        }
        validate(value: unknown): number {
          return value as number;
        }
      }
      class Std {
        @descriptor(new Spy()) accessor n!: number;
      }
      expect(classSide(Std, "n")).to.be.instanceOf(Spy);
      const s = new Std();
      s.n = 1;
      s.n = 2;
      expect(s.n).to.equal(2);
      expect(calls).to.deep.equal(["get(class)", "setName(Std, n)", "set(1)", "set(2)", "get"]);
    });

    it("R2.x given: a decorated plain field (without accessor) gets a clear error in legacy mode", () => {
      const decorate = descriptor(new PositiveInt()) as (p: object, k: string) => unknown;
      class Plain {}
      expect(() => decorate(Plain.prototype, "n")).to.throw(TypeError, /Plain\.n must be declared with the accessor keyword/);
    });
  });

  describe("R2.2 RangeFloat", () => {
    it("R2.2 accepts numbers inside the bounds, both bounds included, ints included, and returns them", () => {
      const d = attached(new RangeFloat(0.5, 2.0), "calibrationFactor");
      for (const value of [0.5, 2.0, 1, 1.999999, 0.5000001]) accepts(d, value);
      const point = attached(new RangeFloat(1, 1), "point");
      accepts(point, 1);
      rejection(point, 1.0000001);
    });

    it("R2.2 rejects values outside the bounds with a ValueError whose message states both bounds", () => {
      const d = attached(new RangeFloat(0.5, 2.0), "calibrationFactor");
      for (const value of [0.49999, 2.00001, -1, 0, 1e9, -0.5]) {
        const { message } = rejection(d, value);
        expect(message, `message for ${value} should state the bounds 0.5 and 2`).to.include("0.5").and.include("2");
      }
    });

    it("R2.2 rejects NaN, ±Infinity, numeric strings, booleans, null, undefined and bigint", () => {
      const d = attached(new RangeFloat(-1e308, 1e308), "calibrationFactor");
      for (const value of [NaN, Infinity, -Infinity, "1.0", true, null, undefined, 1n, [1]]) rejection(d, value);
    });

    it("R2.2 property: accepted exactly when finite and within [0.5, 2.0]", () => {
      validatesExactly(attached(new RangeFloat(0.5, 2)), fc.oneof(fc.double(), fc.integer(), fc.double({ min: 0.5, max: 2 }), fc.string(), fc.boolean()), (x) =>
        typeof x === "number" && Number.isFinite(x) && x >= 0.5 && x <= 2 ? x : REJECT,
      );
    });

    it("R2.x given: RangeFloat validates its own bounds", () => {
      expect(() => new RangeFloat(2, 1)).to.throw(RangeError, /minVal <= maxVal/);
      expect(() => new RangeFloat(NaN, 1)).to.throw(RangeError, /finite bounds/);
      expect(() => new RangeFloat(0, Infinity)).to.throw(RangeError, /finite bounds/);
    });
  });

  describe("R2.3 OneOf", () => {
    it("R2.3 accepts every allowed value and returns it", () => {
      const d = attached(new OneOf(["json", "csv", "binary"]), "outputFormat");
      for (const value of ["json", "csv", "binary"]) accepts(d, value);
      const mixed = attached(new OneOf(["a", 1, true, null]), "mixed");
      for (const value of ["a", 1, true, null]) accepts(mixed, value);
    });

    it("R2.3 the error message lists every allowed value", () => {
      const d = attached(new OneOf(["json", "csv", "binary"]), "outputFormat");
      const { message } = rejection(d, "xml");
      for (const allowed of ["json", "csv", "binary"]) expect(message, `message for "xml" should list ${allowed}`).to.include(allowed);
      const levels = attached(new OneOf([10, 20, 30]), "level");
      const levelMessage = rejection(levels, 40).message;
      for (const allowed of ["10", "20", "30"]) expect(levelMessage, `message for 40 should list ${allowed}`).to.include(allowed);
    });

    it("R2.3 compares strictly: case, whitespace, type and look-alikes are rejected", () => {
      const d = attached(new OneOf(["json", "csv", "binary"]), "outputFormat");
      for (const value of ["JSON", " json", "json ", null, undefined, 0, ["json"]]) rejection(d, value);
      const numbers = attached(new OneOf([1, 2, 3]), "level");
      for (const value of ["1", true, 1.5, [1]]) rejection(numbers, value);
    });

    it("R2.3 property: accepted exactly when one of the list", () => {
      const d = attached(new OneOf(["a", 1, true]));
      holds(
        fc.property(fc.oneof(fc.constantFrom("a", 1, true), fc.string(), fc.integer(), fc.boolean(), fc.constantFrom(null, undefined, "A", "1", 1.5)), (v) => {
          if (v === "a" || v === 1 || v === true) accepts(d, v);
          else rejection(d, v);
        }),
      );
    });

    it("R2.x given: OneOf rejects an empty list and types the attribute as the union of the allowed literals", () => {
      expect(() => new OneOf([])).to.throw(RangeError, /non-empty/);
      class Format {
        @descriptor(new OneOf(["json", "csv"])) accessor format!: "json" | "csv";
      }
      // @ts-expect-error "xml" is not in "json" | "csv" (npm run typecheck proves this line stays an error)
      const neverCalled = (f: Format) => (f.format = "xml");
      expect(neverCalled).to.be.a("function");
    });
  });

  describe("R2.4 PositiveInt", () => {
    it("R2.4 accepts positive safe integers and returns them", () => {
      const d = attached(new PositiveInt(), "bufferSize");
      for (const value of [1, 2, 4096, Number.MAX_SAFE_INTEGER]) accepts(d, value);
    });

    it("R2.4 rejects zero and negatives", () => {
      const d = attached(new PositiveInt(), "bufferSize");
      for (const value of [0, -0, -1, -4096, Number.MIN_SAFE_INTEGER]) rejection(d, value);
    });

    it("R2.4 rejects fractions, NaN, Infinity, unsafe integers, numeric strings, booleans, null and bigint (strict)", () => {
      const d = attached(new PositiveInt(), "bufferSize");
      for (const value of [1.5, 0.1, 1.0000001, NaN, Infinity, 2 ** 53, "5", true, 5n, null, undefined]) rejection(d, value);
    });

    it("R2.4 property: accepted exactly when a safe integer > 0", () => {
      validatesExactly(attached(new PositiveInt()), fc.oneof(fc.integer(), fc.double(), fc.maxSafeInteger(), fc.string(), fc.boolean()), (x) =>
        typeof x === "number" && Number.isSafeInteger(x) && x > 0 ? x : REJECT,
      );
    });
  });

  describe("R2.5 SensorConfig and the main block (build on R2.1–R2.4)", () => {
    const VALID: SensorConfigFields = { sensorId: "temp-01", calibrationFactor: 1, outputFormat: "csv", bufferSize: 64 };

    it("R2.5 SensorConfig puts the four descriptors on its fields with the seed's parameters", () => {
      expect(classSide(SensorConfig, "sensorId"), "SensorConfig.prototype.sensorId").to.be.instanceOf(NonEmptyString);
      const range = classSide(SensorConfig, "calibrationFactor") as RangeFloat;
      expect(range, "SensorConfig.prototype.calibrationFactor").to.be.instanceOf(RangeFloat);
      expect([range.minVal, range.maxVal], "RangeFloat bounds").to.deep.equal([0.5, 2.0]);
      const oneOf = classSide(SensorConfig, "outputFormat") as OneOf<readonly string[]>;
      expect(oneOf, "SensorConfig.prototype.outputFormat").to.be.instanceOf(OneOf);
      expect(oneOf.allowedValues, "OneOf allowed values").to.deep.equal(["json", "csv", "binary"]);
      expect(classSide(SensorConfig, "bufferSize"), "SensorConfig.prototype.bufferSize").to.be.instanceOf(PositiveInt);
    });

    it("R2.5 the constructor assigns every field through its descriptor", () => {
      const config = new SensorConfig({ ...VALID, sensorId: " s " });
      expect(config.toJSON(), "fields of a config built with sensorId \" s \"").to.deep.equal({ ...VALID, sensorId: "s" });
      const bad: [keyof SensorConfigFields, unknown][] = [
        ["sensorId", ""],
        ["calibrationFactor", 3],
        ["outputFormat", "xml"],
        ["bufferSize", -1],
      ];
      for (const [key, value] of bad) {
        const error = caught(() => new SensorConfig({ ...VALID, [key]: value } as SensorConfigFields));
        expect(error, `new SensorConfig with ${key} = ${describeValue(value)}`).to.be.instanceOf(ValueError);
        expect((error as Error).message, `message for ${key} = ${describeValue(value)}`).to.match(new RegExp(`^SensorConfig\\.${key}: `));
      }
    });

    it("R2.5 every later assignment is validated, and a rejected one keeps the old value", () => {
      const config = new SensorConfig(VALID) as unknown as Record<string, unknown>;
      for (const [key, value] of [["sensorId", " "], ["calibrationFactor", 2.5], ["outputFormat", "xml"], ["bufferSize", 1.5]] as const) {
        expect(() => (config[key] = value), `assigning ${describeValue(value)} to ${key}`).to.throw(ValueError);
        expect(config[key], `${key} after the rejected assignment`).to.equal(VALID[key]);
      }
    });

    it("R2.5 the main block prints the valid config, then five invalid assignments, each as `ValueError: <message>`", () => {
      const { log, lines } = captureLog();
      const messages = runExercise2Demo({ log });
      expect(messages, "the messages runExercise2Demo returned").to.have.length(5);
      for (const attr of ["sensorId", "calibrationFactor", "outputFormat", "bufferSize"]) {
        expect(messages.some((m) => m.startsWith(`SensorConfig.${attr}:`)), `a caught error names SensorConfig.${attr}`).to.equal(true);
      }
      const output = lines.join("\n");
      expect(output, "the printed valid config (JSON)").to.match(/"sensorId":/);
      for (const m of messages) expect(output, "printed output").to.include(`ValueError: ${m}`);
      expect(output.indexOf('"sensorId":'), "the valid config is printed before the first error").to.be.below(output.indexOf("ValueError: "));
    });

    it("R2.5 the main block catches only ValueError: any other error escapes", () => {
      const bug = new TypeError("a bug, not a validation failure");
      const stub = sinon.stub(PositiveInt.prototype, "validate").callsFake((v: unknown) => {
        if (typeof v === "number" && Number.isSafeInteger(v) && v > 0) return v;
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

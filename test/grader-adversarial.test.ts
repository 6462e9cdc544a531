/**
 * #11 The grader against hostile submissions: every attack of issue 11 is graded in instructor mode
 * (`--submission`), next to two honest controls (the empty stubs score 0, the reference solutions score full
 * points). Slow (a minute or two on 2 cores), so it runs only with GRADER_ADVERSARIAL=1: `npm run test:adversarial`.
 */
import { expect } from "./helpers/expect";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadGradingConfig } from "../tools/core/config";
import { listTests } from "../tools/instructor/grader/listTests";
import type { GradeResult as SubmissionReport } from "../tools/core/result";
import { gradeSubmission, warmTranspileCache } from "../tools/instructor/grader/submission";

const ROOT = path.join(__dirname, "..");
const ENABLED = process.env.GRADER_ADVERSARIAL === "1";
const CONFIG = loadGradingConfig(path.join(ROOT, "grading.json"));
const SUBMISSION_MS = CONFIG.timeouts.submissionMs ?? 300_000;
const pointsOf = (ids: number[]) => CONFIG.exercises.filter((ex) => ids.includes(ex.id)).reduce((sum, ex) => sum + Object.values(ex.requirements).reduce((a, b) => a + b, 0), 0);
const ALL = CONFIG.exercises.map((ex) => ex.id);
/** The exercise most attacks target (the second in grading.json, or the first), and its folder in src/. */
const TARGET = CONFIG.exercises[Math.min(1, CONFIG.exercises.length - 1)];
const targetFolder = () => path.basename(TARGET.sources[0]);

interface Attack {
  name: string;
  /** What should stop it. */
  mechanism: string;
  base: "stubs" | "reference";
  exercises?: number[];
  /** Files written into the submission (paths relative to it). */
  files?: (ctx: Context) => Record<string, string>;
  /** Symlinks made in the submission (path relative to it → target). */
  links?: (ctx: Context) => Record<string, string>;
  /** A flag the report must carry. */
  flag?: string;
  /** CommonJS code loaded by the targeted exercises' index.ts (src/zz-attack.js). */
  inject?: (ctx: Context) => string;
  /** Grade through `npm run grade -- --submission` (a separate process writing the report file). */
  cli?: boolean;
  /** Seconds to wait after grading before checking the report again (something might rewrite it). */
  lingerMs?: number;
  /** Lowest acceptable points (reference-based attacks that must not cost honest work). */
  atLeast?: (max: number) => number;
  /** Runs after this attack was graded, e.g. the next submission. */
  then?: (ctx: Context) => Promise<string>;
}

interface Context {
  tmp: string;
  markers: string;
  stubs: string;
}

interface Outcome {
  attack: Attack;
  report?: SubmissionReport;
  reportText?: string;
  reportAfter?: string;
  error?: string;
  seconds: number;
  note?: string;
  max: number;
}

const js = String.raw;

/** Collects every test title of the instructor's tests as the student could guess them, for forged events. */
const FORGE = js`
const fs = require("fs"), path = require("path");
function guessIds() {
  const ids = [];
  try {
    for (const file of fs.readdirSync("test")) {
      if (!file.endsWith(".test.ts")) continue;
      const text = fs.readFileSync(path.join("test", file), "utf8");
      const describes = [...text.matchAll(/describe\("([^"]+)"/g)].map((m) => m[1]);
      const its = [...text.matchAll(/it\("([^"]+)"/g)].map((m) => m[1]);
      for (const d of describes) for (const t of its) ids.push("test/" + file + " :: " + d + " " + t);
    }
  } catch {}
  return ids;
}
function forged() {
  const ids = guessIds();
  const lines = [JSON.stringify({ type: "plan", tests: ids.slice(0, 50).map((id) => ({ id, title: id.split(" :: ")[1], file: id.split(" :: ")[0] })) })];
  for (const id of ids) {
    lines.push(JSON.stringify({ type: "start", id }));
    lines.push(JSON.stringify({ type: "end", id, status: "passed", message: "", durationMs: 1, uncaught: false }));
  }
  lines.push(JSON.stringify({ type: "done" }));
  return lines.join("\n") + "\n";
}
function spray(text) {
  for (const target of [process.env.GRADE_EVENTS_FILE, process.env.GRADE_SKIP_FILE]) {
    if (target) try { fs.appendFileSync(target, text); } catch {}
  }
  for (let fd = 1; fd < 64; fd++) try { fs.writeSync(fd, text); } catch {}
}
`;

/**
 * Makes the stubs stop throwing: every method of every class the target exercise exports returns undefined instead
 * of throwing NotImplementedError, so its tests fail on assertions, which a neutered assertion library would pass.
 */
const SWALLOW = () => js`
  {
    const mod = require("./${targetFolder()}");
    for (const value of Object.values(mod)) {
      if (typeof value !== "function" || !value.prototype) continue;
      for (const key of Object.getOwnPropertyNames(value.prototype)) {
        const d = Object.getOwnPropertyDescriptor(value.prototype, key);
        if (key === "constructor" || !d || typeof d.value !== "function" || !d.writable) continue;
        const original = d.value;
        value.prototype[key] = function (...args) { try { return original.apply(this, args); } catch { return undefined; } };
      }
    }
  }
`;

const ALL_ATTACKS: Attack[] = [
  {
    name: "wrapper around mocha's global it",
    mechanism: "mocha globals are accessors only mocha sets (tamper reported); global-it canaries",
    base: "stubs",
    inject: () => js`
      const original = globalThis.it;
      globalThis.it = function (title, fn) {
        return original(title, async function () { try { await (fn && fn.call(this)); } catch {} });
      };
      globalThis.it.only = original.only; globalThis.it.skip = original.skip;`,
  },
  {
    name: "Object.prototype.toJSON rewriting results",
    mechanism: "events are encoded from strings only; toJSON never runs",
    base: "stubs",
    inject: () => js`
      Object.defineProperty(Object.prototype, "toJSON", { configurable: true, writable: true, value: function () {
        const copy = Object.assign({}, this);
        if (copy.status === "failed") { copy.status = "passed"; copy.message = ""; }
        if (copy.type === "plan") copy.tests = [];
        return copy;
      } });`,
  },
  {
    name: "process.on('exit') appending passed events",
    mechanism: "no events file; pipe lines need the nonce (env deleted before student code)",
    base: "stubs",
    inject: () => FORGE + js`process.on("exit", () => spray(forged()));`,
  },
  {
    name: "fake plan written while loading",
    mechanism: "the expected test list comes from the instructor's checkout; unsigned lines ignored",
    base: "stubs",
    inject: () => FORGE + js`spray(forged());`,
  },
  {
    name: 'tsconfig "ts-node": {"require": …}',
    mechanism: "only src/ is copied; the instructor's tsconfig is used",
    base: "stubs",
    files: (ctx) => ({
      "tsconfig.json": JSON.stringify({ extends: "./base.json", "ts-node": { require: ["./evil.js"], transpileOnly: true }, compilerOptions: { module: "CommonJS" } }),
      "evil.js": js`require("fs").writeFileSync(${JSON.stringify(path.join(ctx.markers, "ts-node-require"))}, "ran"); const o = globalThis.it; globalThis.it = (t, f) => o(t, () => {});`,
    }),
  },
  {
    name: "patch the grader's child.ts via process.argv[1], then the next (empty) submission",
    mechanism: "permission model: no writes outside a private temp folder",
    base: "stubs",
    inject: () => js`
      const fs = require("fs"), path = require("path");
      const dir = path.dirname(process.argv[1] || "");
      for (const file of [process.argv[1], path.join(dir, "runExercise.ts"), path.join(dir, "protocol.ts")]) {
        try { fs.appendFileSync(file, "\n;globalThis.it = (t) => undefined; /* pwned */\n"); } catch {}
      }`,
    then: async (ctx) => {
      const next = await gradeSubmission({ submission: ctx.stubs, root: ROOT, exercises: [TARGET.id], jobs: 1 });
      expect(next.points, "the next, empty submission").to.equal(0);
      return `next empty submission: ${next.points}`;
    },
  },
  {
    name: "npm ci postinstall (and .npmrc)",
    mechanism: "nothing of the submission but src/ is read or run; no npm in submissions",
    base: "stubs",
    files: (ctx) => ({
      "package.json": JSON.stringify({ name: "x", scripts: { postinstall: `touch ${path.join(ctx.markers, "postinstall")}`, preinstall: `touch ${path.join(ctx.markers, "preinstall")}` } }),
      ".npmrc": `script-shell=${path.join(ctx.tmp, "evil-shell")}\n`,
    }),
  },
  {
    name: "detached process keeping stdout open",
    mechanism: "permission model: no child processes; process group killed; wait for exit, not close",
    base: "stubs",
    cli: true,
    inject: () => js`
      try { require("child_process").spawn("sh", ["-c", "sleep 60; : grader-attack-marker"], { detached: true, stdio: "inherit" }).unref(); } catch (e) { console.error("spawn refused:", e.code); }`,
  },
  {
    name: "malformed line in the events channel",
    mechanism: "lines without the nonce or with bad JSON are ignored",
    base: "stubs",
    inject: () => FORGE + js`
      spray("{not json\n\u0000\u0001garbage " + "x".repeat(100000) + "\n");
      process.on("exit", () => spray("{\"type\":\"end\",\n"));`,
  },
  {
    name: "detached process rewriting the report after the grader exits",
    mechanism: "permission model: no child processes; group killed; report written by rename",
    base: "stubs",
    cli: true,
    lingerMs: 2500,
    inject: () => js`
      try {
        require("child_process").spawn("sh", ["-c", "sleep 1; for f in $(find / -name '*.json' -newer /proc/1 -path '*adversarial*' 2>/dev/null); do echo '{\"points\":100}' > $f; done; : grader-attack-marker"], { detached: true, stdio: "ignore" }).unref();
      } catch (e) { console.error("spawn refused:", e.code); }`,
  },
  {
    name: "4 GB allocation",
    mechanism: "ulimit -v (address space) in the shell that execs node",
    base: "stubs",
    inject: () => js`
      try { globalThis.__hog = Buffer.alloc(4 * 1024 ** 3, 1); console.error("allocated 4 GB"); } catch (e) { console.error("4 GB refused:", e.message); }`,
  },
  {
    name: "timer that throws after its test (reference solutions)",
    mechanism: "an exception after its test passed is charged to no test; one during another test: that test re-run alone",
    base: "reference",
    exercises: [CONFIG.exercises[0].id],
    // The requirement whose test first calls the student's code may lose its points; no other may.
    atLeast: (max) => max - Math.max(...Object.values(CONFIG.exercises[0].requirements)),
    inject: () => js`
      // Every method of every class the exercise exports schedules, on the first call only, a timer that throws.
      const mod = require("./${path.basename(CONFIG.exercises[0].sources[0])}");
      let armed = true;
      for (const value of Object.values(mod)) {
        if (typeof value !== "function" || !value.prototype) continue;
        for (const key of Object.getOwnPropertyNames(value.prototype)) {
          const d = Object.getOwnPropertyDescriptor(value.prototype, key);
          if (key === "constructor" || !d || typeof d.value !== "function" || !d.writable) continue;
          const original = d.value;
          value.prototype[key] = function (...args) {
            if (armed) { armed = false; setTimeout(() => { throw new Error("a stray timer from an earlier test"); }, 5); }
            return original.apply(this, args);
          };
        }
      }`,
  },
  {
    name: "neutering chai",
    mechanism: "chai's Assertion, util and exports frozen before student code; chai canaries",
    base: "stubs",
    inject: () => SWALLOW() + js`
      const chai = require("chai");
      const tries = [
        () => { chai.Assertion.prototype.assert = function () {}; },
        () => Object.defineProperty(chai.Assertion.prototype, "assert", { value: function () {} }),
        () => { chai.util.flag = () => undefined; },
        () => { chai.expect = () => new Proxy({}, { get: (t, k, r) => r }); },
        () => chai.use((c, u) => u.overwriteMethod(c.Assertion, "equal", () => function () {})),
        () => { chai.Assertion.prototype.throw = function () { return this; }; },
      ];
      for (const t of tries) try { t(); } catch {}`,
  },
  {
    name: "neutering node:assert",
    mechanism: "node:assert frozen before student code; assert canaries",
    base: "stubs",
    inject: () => SWALLOW() + js`
      const assert = require("assert");
      for (const name of Object.keys(assert)) try { assert[name] = () => {}; } catch {}
      try { assert.strict.strictEqual = () => {}; } catch {}
      try { assert.AssertionError.prototype.name = "Passed"; } catch {}`,
  },
  {
    name: "rewriting the test files at runtime, then exiting (so a rerun loads them)",
    mechanism: "permission model + read-only copy; tests listed from the instructor's checkout",
    base: "stubs",
    inject: () => js`
      const fs = require("fs"), path = require("path");
      for (const dir of [path.resolve("test"), path.join(path.dirname(process.argv[1] || ""), "..", "..", "test")]) {
        try {
          for (const f of fs.readdirSync(dir)) if (f.endsWith(".test.ts")) try { fs.writeFileSync(path.join(dir, f), 'describe("x", () => { it("R2.1 ok", () => {}); });'); } catch {}
        } catch {}
      }
      process.exit(0);`,
  },
  {
    name: "process that cannot exit (exit, reallyExit replaced, signals ignored)",
    mechanism: "reallyExit captured before student code; SIGKILL to the process group",
    base: "stubs",
    cli: true,
    inject: () => js`
      process.exit = () => {}; process.reallyExit = () => {};
      for (const s of ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT"]) process.on(s, () => {});
      setInterval(() => {}, 1000);
      process.on("beforeExit", () => setTimeout(() => {}, 1000));`,
  },
  {
    name: "memory bomb",
    mechanism: "--max-old-space-size; the crash is charged to the running test (flag memory)",
    base: "stubs",
    inject: () => js`
      const hog = [];
      for (;;) hog.push(new Array(1e6).fill(hog.length));`,
  },
  {
    name: "writing to every open descriptor at exit",
    mechanism: "only nonce-signed lines count; output only kept as a tail",
    base: "stubs",
    inject: () => FORGE + js`process.on("exit", () => { spray(forged()); for (let fd = 0; fd < 1024; fd++) try { require("fs").writeSync(fd, "passed\n"); } catch {} });`,
  },
  {
    name: "appending code to every loaded module outside src/",
    mechanism: "permission model: no writes outside a private temp folder",
    base: "stubs",
    inject: () => js`
      const fs = require("fs"), path = require("path");
      for (const file of Object.keys(require.cache)) {
        if (file.includes(path.sep + "src" + path.sep)) continue;
        try { fs.appendFileSync(file, "\n;globalThis.it = () => {}; /* pwned */\n"); } catch {}
      }`,
  },
  {
    name: "hostile tests, grading.json, tsconfig, .mocharc.json, .npmrc and package.json scripts",
    mechanism: "only src/ is copied; the instructor's tests, config and tsconfig are used",
    base: "stubs",
    cli: true,
    files: (ctx) => {
      const mark = (what: string) => `require("fs").writeFileSync(${JSON.stringify(path.join(ctx.markers, what))}, "ran")`;
      const files: Record<string, string> = {
        "grading.json": JSON.stringify({ timeouts: { testMs: 1, exerciseMs: 1 }, exercises: [{ id: TARGET.id, tests: ["test/fake.test.js"], requirements: { [`R${TARGET.id}.1`]: 1000 } }] }),
        "tsconfig.json": JSON.stringify({ "ts-node": { require: ["./evil.js"] } }),
        ".mocharc.json": JSON.stringify({ require: ["./evil.js"], spec: ["test/fake.test.js"] }),
        ".npmrc": "script-shell=./evil.sh\n",
        "package.json": JSON.stringify({ scripts: { test: `touch ${path.join(ctx.markers, "npm-test")}`, grade: `touch ${path.join(ctx.markers, "npm-grade")}`, postinstall: `touch ${path.join(ctx.markers, "postinstall")}` } }),
        "evil.js": `${mark("evil-js")};`,
        "evil.sh": `#!/bin/sh\ntouch ${path.join(ctx.markers, "evil-sh")}\n`,
      };
      for (const file of TARGET.tests) {
        files[file] = Object.keys(TARGET.requirements).map((id) => `it(${JSON.stringify(`${id} passes`)}, () => {});`).join("\n");
      }
      return files;
    },
  },
  {
    name: "killing the grader (process.kill(process.ppid))",
    mechanism: "process.kill/_kill limited to the child itself; separate process group",
    base: "stubs",
    cli: true,
    inject: () => js`
      for (const pid of [process.ppid, -process.ppid, 1]) try { process.kill(pid, "SIGKILL"); } catch (e) { console.error("kill refused"); }`,
  },
  {
    name: "EventEmitter.prototype.emit turning fail into pass",
    mechanism: "the runner's emit/on captured and pinned before student code; canaries",
    base: "stubs",
    inject: () => SWALLOW() + js`
      const E = require("events");
      const emit = E.prototype.emit;
      E.prototype.emit = function (event, ...args) {
        if (event === "fail") return emit.call(this, "pass", args[0]);
        return emit.call(this, event, ...args);
      };`,
  },
  {
    name: "patching mocha's Runner, Test and Runnable prototypes",
    mechanism: "mocha's prototypes frozen before student code",
    base: "stubs",
    inject: () => SWALLOW() + js`
      const mocha = require("mocha"); const M = mocha.Mocha || mocha.default || mocha;
      const tries = [
        () => { M.Runnable.prototype.run = function (fn) { fn(); }; },
        () => {
          const emit = M.Runner.prototype.emit;
          M.Runner.prototype.fail = function (test) { test.state = "passed"; emit.call(this, "pass", test); };
        },
      ];
      for (const t of tries) try { t(); } catch {}`,
  },
  {
    name: "Promise.prototype.then turning rejections into fulfilments",
    mechanism: "async must-fail canary (flag tampered)",
    base: "stubs",
    inject: () => SWALLOW() + js`
      const then = Promise.prototype.then;
      Promise.prototype.then = function (onFulfilled, onRejected) {
        return then.call(this, onFulfilled, onRejected && typeof onFulfilled === "function" ? () => onFulfilled() : onRejected);
      };`,
  },
  {
    name: "loading the reference solution through process.argv[1]",
    mechanism: "permission model: reads limited to the submission copy, the grader and node_modules",
    base: "stubs",
    files: () => ({
      [`src/${targetFolder()}/index.ts`]: js`
        const path = require("path");
        module.exports = require(path.join(path.dirname(process.argv[1]), "..", "..", "src", ${JSON.stringify(targetFolder())}));`,
    }),
  },
  // Issue 20: attacks on the shared realm, which SES lockdown() and the students' Compartment now stop.
  {
    name: "Function.prototype.call patched to swallow failures (canaries spared)",
    mechanism: "SES lockdown: Function.prototype frozen (the patch throws in the student's strict compartment)",
    base: "stubs",
    inject: () => SWALLOW() + js`
      const call = Function.prototype.call;
      try {
        Function.prototype.call = function (thisArg, ...args) {
          const canary = thisArg && thisArg.test && /^c[0-9a-f]{12}-/.test(String(thisArg.test.parent && thisArg.test.parent.title));
          try { return call.apply(this, [thisArg, ...args]); } catch (e) { if (canary) throw e; return undefined; }
        };
      } catch (e) { console.error("Function.prototype.call refused:", e.message); }`,
  },
  {
    name: "Object.prototype fn setter replacing every test body",
    mechanism: "SES lockdown: Object.prototype frozen",
    base: "stubs",
    inject: () => SWALLOW() + js`
      try {
        Object.defineProperty(Object.prototype, "fn", { configurable: true, get() { return undefined; }, set(v) {
          const canary = /^c[0-9a-f]{12}-/.test(String(this.parent && this.parent.title));
          Object.defineProperty(this, "fn", { value: canary || typeof v !== "function" ? v : function () {}, writable: true, configurable: true });
        } });
      } catch (e) { console.error("Object.prototype.fn refused:", e.message); }`,
  },
  {
    name: "mocha's writable statics (Runnable.toValueOrError) through require('mocha') and the globals",
    mechanism: "the students' require reaches only src/ and a few built-ins; the compartment has no mocha globals",
    base: "stubs",
    inject: () => SWALLOW() + js`
      for (const get of [() => require("mocha"), () => globalThis.Mocha, () => globalThis.it && globalThis.it.constructor]) {
        try {
          const m = get(); const M = m && (m.Mocha || m.default || m);
          if (M && M.Runnable) M.Runnable.toValueOrError = () => undefined;
        } catch (e) { console.error("mocha refused:", e.message); }
      }`,
  },
  {
    name: "node:v8 getHeapSnapshot (nonce) and queryObjects (the child's send)",
    mechanism: "node:v8 is not an allowed built-in; process is not a global of the compartment",
    base: "stubs",
    inject: () => js`
      try {
        const v8 = require("node:v8");
        const fns = [];
        v8.queryObjects(Function, { format: "summary" });
        const text = require("stream/consumers");
        const snap = v8.getHeapSnapshot(); let data = ""; snap.on("data", (c) => (data += c));
        snap.on("end", () => { const nonce = /[A-Za-z0-9_-]{24}/.exec(data); if (nonce) require("fs").writeSync(3, nonce[0] + " {\"type\":\"done\"}\n"); });
      } catch (e) { console.error("v8 refused:", e.message); }`,
  },
  {
    name: "require.cache: rewriting the exports of the loaded test/helpers modules",
    mechanism: "the students' require has no cache; module is a facade without constructor, parent or children",
    base: "stubs",
    inject: () => js`
      const caches = [() => require.cache, () => module.constructor && module.constructor._cache, () => module.parent && module.parent.constructor._cache];
      for (const get of caches) {
        try {
          const cache = get();
          if (!cache) { console.error("no cache"); continue; }
          for (const key of Object.keys(cache)) {
            if (!key.includes("/test/helpers/")) continue;
            const exports = cache[key].exports;
            for (const name of Object.keys(exports)) if (typeof exports[name] === "function") exports[name] = () => ({ to: new Proxy({}, { get: (t, k, r) => r }) });
          }
        } catch (e) { console.error("cache refused:", e.message); }
      }`,
  },
  {
    name: "uncaught error in every test, tampering only in the isolated re-run",
    mechanism: "isolated re-runs get canaries too; lockdown freezes what the tampering needs",
    base: "stubs",
    inject: () => js`
      const mod = require("./${targetFolder()}");
      const alone = !/c[0-9a-f]{12}/.test(String(new Error().stack));
      try { if (alone) Function.prototype.call = function () { return undefined; }; } catch (e) { console.error("refused:", e.message); }
      for (const value of Object.values(mod)) {
        if (typeof value !== "function" || !value.prototype) continue;
        for (const key of Object.getOwnPropertyNames(value.prototype)) {
          const d = Object.getOwnPropertyDescriptor(value.prototype, key);
          if (key === "constructor" || !d || typeof d.value !== "function" || !d.writable) continue;
          const original = d.value;
          value.prototype[key] = function (...args) { setTimeout(() => { throw new Error("crash on purpose"); }, 0); return original.apply(this, args); };
        }
      }`,
  },
  {
    name: "process.exit in a test, tampering only in the restarted process",
    mechanism: "process is not a global of the compartment; restarts get fresh canaries",
    base: "stubs",
    inject: () => SWALLOW() + js`
      try { globalThis.process.exit(0); } catch (e) { console.error("exit refused:", e.message); }
      try { (0, eval)("process").exit(0); } catch (e) { console.error("indirect eval refused:", e.message); }
      try { Function("return process")().exit(0); } catch (e) { console.error("Function refused:", e.message); }`,
  },
  {
    name: "escaping through a test's own objects (constructors, prototypes of helper classes, spies)",
    mechanism: "Function constructors are inert after lockdown; test helper classes and sinon's shared prototypes frozen",
    base: "stubs",
    inject: () => js`
      const mod = require("./${targetFolder()}");
      const seen = new Set();
      const escape = (value) => {
        if (value === null || (typeof value !== "object" && typeof value !== "function") || seen.has(value)) return;
        seen.add(value);
        try { const g = value.constructor.constructor("return globalThis")(); g.it = () => {}; } catch {}
        for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype && proto !== Function.prototype; proto = Object.getPrototypeOf(proto)) {
          for (const key of Object.getOwnPropertyNames(proto)) {
            if (key === "constructor") continue;
            try { const d = Object.getOwnPropertyDescriptor(proto, key); if (typeof d.value === "function") proto[key] = function () { return true; }; } catch {}
          }
        }
        for (const key of ["calledWith", "calledOnce", "called", "callCount", "calledWithExactly"]) try { value[key] = true; } catch {}
      };
      for (const value of Object.values(mod)) {
        if (typeof value !== "function" || !value.prototype) continue;
        for (const key of Object.getOwnPropertyNames(value.prototype)) {
          const d = Object.getOwnPropertyDescriptor(value.prototype, key);
          if (key === "constructor" || !d || typeof d.value !== "function" || !d.writable) continue;
          const original = d.value;
          value.prototype[key] = function (...args) { for (const a of args) escape(a); try { return original.apply(this, args); } catch { return undefined; } };
        }
      }`,
  },
  {
    name: "a symlink in src/ pointing at the reference solution",
    mechanism: "symlinks are never copied or followed; flagged symlink:src/…",
    base: "stubs",
    links: () => ({ [`src/${targetFolder()}/index.ts`]: path.join(ROOT, "src", targetFolder(), "index.ts") }),
    flag: `symlink:src/${targetFolder()}/index.ts`,
  },
];

/** ADVERSARIAL_ONLY=regex runs the matching attacks only (and no controls); ADVERSARIAL_JOBS sets how many at once. */
const ONLY = process.env.ADVERSARIAL_ONLY ? new RegExp(process.env.ADVERSARIAL_ONLY, "i") : undefined;
const ATTACKS = ALL_ATTACKS.filter((a) => !ONLY || ONLY.test(a.name));
const JOBS = Number(process.env.ADVERSARIAL_JOBS || 4);

/** A sha256 over every file below the given paths (relative to ROOT), in a stable order. */
function fingerprint(paths: string[]): string {
  const hash = createHash("sha256");
  const walk = (file: string) => {
    const stat = fs.lstatSync(file);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(file).sort()) walk(path.join(file, name));
    } else if (stat.isFile()) {
      hash.update(`${path.relative(ROOT, file)}\0${stat.mode}\0`);
      hash.update(fs.readFileSync(file));
    } else if (stat.isSymbolicLink()) {
      hash.update(`${path.relative(ROOT, file)}\0->${fs.readlinkSync(file)}\0`);
    }
  };
  for (const p of paths) if (fs.existsSync(path.join(ROOT, p))) walk(path.join(ROOT, p));
  return hash.digest("hex");
}
const CHECKOUT = ["src", "test", "tools", ".cache", "grading.json", "tsconfig.json", "tsconfig.build.json", "package.json", ".mocharc.json"];

/** Processes whose command line mentions any of the needles (read from /proc; Linux only). */
function processesMentioning(needles: string[]): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (needles.some((n) => cmd.includes(n)) && Number(pid) !== process.pid) found.push(`${pid}: ${cmd.slice(0, 200)}`);
    } catch {
      // gone
    }
  }
  return found;
}

function copySrc(from: string, to: string): void {
  fs.cpSync(path.join(from, "src"), path.join(to, "src"), { recursive: true });
}

async function buildSubmission(attack: Attack, ctx: Context, index: number): Promise<string> {
  const dir = path.join(ctx.tmp, `attack-${index}`);
  fs.mkdirSync(dir, { recursive: true });
  copySrc(attack.base === "stubs" ? ctx.stubs : ROOT, dir);
  const exercises = attack.exercises ?? [TARGET.id];
  if (attack.inject) {
    fs.writeFileSync(path.join(dir, "src", "zz-attack.js"), attack.inject(ctx));
    for (const ex of CONFIG.exercises.filter((e) => exercises.includes(e.id))) {
      for (const source of ex.sources) fs.appendFileSync(path.join(dir, source, "index.ts"), '\nrequire("../zz-attack.js");\n');
    }
  }
  for (const [file, text] of Object.entries(attack.files?.(ctx) ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  for (const [file, target] of Object.entries(attack.links?.(ctx) ?? {})) {
    fs.rmSync(path.join(dir, file), { force: true });
    fs.symlinkSync(target, path.join(dir, file));
  }
  return dir;
}

function runCli(submission: string, out: string, exercises: number[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = path.join(ROOT, "tools", "core", "grade.ts");
  return new Promise((resolve) => {
    execFile(process.execPath, ["-r", "ts-node/register/transpile-only", script, "--submission", submission, "--out", out, ...exercises.map(String)], { cwd: ROOT, timeout: SUBMISSION_MS + 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function runAttack(attack: Attack, ctx: Context, index: number): Promise<Outcome> {
  const started = Date.now();
  const exercises = attack.exercises ?? [TARGET.id];
  const outcome: Outcome = { attack, seconds: 0, max: pointsOf(exercises) };
  try {
    const submission = await buildSubmission(attack, ctx, index);
    if (attack.cli) {
      const out = path.join(ctx.tmp, `report-adversarial-${index}.json`);
      const run = await runCli(submission, out, exercises);
      if (!fs.existsSync(out)) throw new Error(`no report written (exit ${run.code}): ${run.stderr.slice(-1000)}`);
      outcome.reportText = fs.readFileSync(out, "utf8");
      outcome.report = JSON.parse(outcome.reportText) as SubmissionReport;
      if (attack.lingerMs) {
        await new Promise((r) => setTimeout(r, attack.lingerMs));
        outcome.reportAfter = fs.readFileSync(out, "utf8");
      }
    } else {
      outcome.report = await gradeSubmission({ submission, root: ROOT, exercises, jobs: 1 });
    }
    if (attack.then) outcome.note = await attack.then(ctx);
  } catch (error) {
    outcome.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  outcome.seconds = (Date.now() - started) / 1000;
  return outcome;
}

async function pool<T, R>(items: T[], size: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i], i);
      }
    }),
  );
  return results;
}

// Only with GRADER_ADVERSARIAL=1, so `npm test` (which loads every test file) neither runs nor lists it.
if (ENABLED) describe("#11 grader against hostile submissions (GRADER_ADVERSARIAL=1)", function () {
  this.timeout(SUBMISSION_MS * 4);
  let ctx: Context;
  let outcomes: Outcome[] = [];
  let controls: { stubs: SubmissionReport; reference: SubmissionReport; seconds: number[] };
  let hashBefore: string;
  let hashAfter: string;
  let leftover: string[];
  const savedTmp = process.env.TMPDIR;
  const wall = Date.now();

  before(async function () {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "adversarial-"));
    ctx = { tmp, markers: path.join(tmp, "markers"), stubs: path.join(tmp, "stubs") };
    fs.mkdirSync(ctx.markers);
    // Every workspace and test process of this suite lives below tmp, so leftovers can be found by name.
    process.env.TMPDIR = tmp;
    const { release } = await import("../tools/instructor/release/release");
    release(ROOT, ctx.stubs);
    // The trusted test lists are cached in .cache/grader/ by the grading process; list them before hashing,
    // so the fingerprint then proves that nothing, the cache included, changes during the attacks.
    for (const exercise of loadGradingConfig(path.join(ROOT, "grading.json")).exercises) {
      await listTests({ root: ROOT, files: exercise.tests, tsconfig: path.join(ROOT, "tsconfig.json") });
    }
    // So is the trusted files' transpiled JavaScript (instructor mode runs the children without ts-node).
    warmTranspileCache(ROOT);
    hashBefore = fingerprint([...CHECKOUT, "node_modules"]);
    // The controls and the attacks share one pool: most of a run is waiting on child processes.
    const control = (submission: string) => async () => gradeSubmission({ submission, root: ROOT, jobs: 2 });
    const jobs: (() => Promise<unknown>)[] = [
      ...(ONLY ? [] : [control(ctx.stubs), control(ROOT)]),
      ...ATTACKS.map((attack, i) => () => runAttack(attack, ctx, i)),
    ];
    const results = await pool(jobs, JOBS, (job) => job());
    if (!ONLY) {
      const [stubs, reference] = results as SubmissionReport[];
      controls = { stubs, reference, seconds: [stubs.durationMs / 1000, reference.durationMs / 1000] };
    }
    outcomes = results.slice(ONLY ? 0 : 2) as Outcome[];
    await new Promise((r) => setTimeout(r, 500));
    leftover = processesMentioning([tmp, "grader-attack-marker"]);
    hashAfter = fingerprint([...CHECKOUT, "node_modules"]);
  });

  after(function () {
    process.env.TMPDIR = savedTmp;
    if (!ctx) return;
    const rows = [
      ...(ONLY ? [] : [["control: empty stubs", `${controls?.stubs.points}/${controls?.stubs.maxPoints} ${controls?.stubs.flags.join(",")}`, "honest", controls?.seconds[0].toFixed(1)],
      ["control: reference solutions", `${controls?.reference.points}/${controls?.reference.maxPoints} ${controls?.reference.flags.join(",")}`, "honest", controls?.seconds[1].toFixed(1)]]),
      ...outcomes.map((o) => [
        o.attack.name,
        o.error ? `ERROR ${o.error.split("\n")[0]}` : `${o.report?.points}/${o.report?.maxPoints} ${o.report?.flags.join(",") || "-"}${o.note ? ` (${o.note})` : ""}`,
        o.attack.mechanism,
        o.seconds.toFixed(1),
      ]),
    ];
    const widths = [0, 1, 2, 3].map((c) => Math.min(c === 2 ? 70 : 60, Math.max(...rows.map((r) => String(r[c] ?? "").length))));
    console.log(`\n| ${["attack", "outcome", "stopped by", "s"].map((h, c) => h.padEnd(widths[c])).join(" | ")} |`);
    for (const row of rows) console.log(`| ${row.map((cell, c) => String(cell ?? "").padEnd(widths[c])).join(" | ")} |`);
    console.log(`\nwall time ${(Date.now() - wall) / 1000} s; workspaces in ${ctx.tmp}`);
    fs.rmSync(ctx.tmp, { recursive: true, force: true });
  });

  it("#11 honest controls: the empty stubs score 0 and the reference solutions full points, without flags", function () {
    if (ONLY) this.skip();
    expect(controls.stubs).to.include({ points: 0, maxPoints: pointsOf(ALL) });
    expect(controls.reference.points, JSON.stringify(controls.reference.requirements.flatMap((r) => r.tests.filter((t) => t.status !== "passed")))).to.equal(pointsOf(ALL));
    expect(controls.stubs.flags).to.deep.equal([]);
    expect(controls.reference.flags).to.deep.equal([]);
  });

  it("#11 the instructor report has the documented shape", function () {
    if (ONLY) this.skip();
    const r = controls.reference;
    expect(Object.keys(r)).to.have.members(["submission", "points", "maxPoints", "hiddenMaxPoints", "hiddenRan", "flags", "durationMs", "exercises", "requirements"]);
    expect(Object.keys(r.exercises[0])).to.include.members(["id", "title", "hints", "points", "maxPoints", "flags"]);
    expect(Object.keys(r.requirements[0])).to.have.members(["id", "exercise", "points", "maxPoints", "tests"]);
    expect(Object.keys(r.requirements[0].tests[0])).to.include.members(["name", "status", "message", "points", "maxPoints", "hidden"]);
    expect(r.requirements.map((q) => q.id)).to.deep.equal(CONFIG.exercises.flatMap((ex) => Object.keys(ex.requirements)));
    expect(controls.stubs.requirements.flatMap((q) => q.tests.map((t) => t.status))).to.not.include("passed");
  });

  for (const attack of ATTACKS) {
    it(`#11 ${attack.name}: graded no higher than honest work (or flagged tampered), report in time`, () => {
      const outcome = outcomes.find((o) => o.attack === attack)!;
      expect(outcome.error, outcome.error).to.equal(undefined);
      const report = outcome.report!;
      expect(report.maxPoints).to.equal(outcome.max);
      expect(report.durationMs).to.be.below(SUBMISSION_MS);
      if (attack.atLeast) {
        expect(report.points, JSON.stringify(report.requirements.filter((q) => q.points < q.maxPoints))).to.be.at.least(attack.atLeast(outcome.max));
      } else if (!report.flags.includes("tampered")) {
        expect(report.points, JSON.stringify(report.requirements.flatMap((q) => q.tests.filter((t) => t.status === "passed")))).to.equal(0);
      } else {
        expect(report.points).to.equal(0);
      }
      if (attack.flag) expect(report.flags).to.include(attack.flag);
      if (outcome.reportAfter !== undefined) expect(outcome.reportAfter).to.equal(outcome.reportText);
    });
  }

  it("#11 no attack left a marker: nothing outside src/ ran, nothing was written outside the sandbox", () => {
    expect(fs.readdirSync(ctx.markers)).to.deep.equal([]);
  });

  it("#11 the instructor's checkout and node_modules are unchanged", () => {
    expect(hashAfter).to.equal(hashBefore);
  });

  it("#11 no process is left behind", () => {
    expect(leftover).to.deep.equal([]);
  });
});

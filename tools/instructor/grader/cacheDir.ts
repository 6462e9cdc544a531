import * as path from "node:path";

/**
 * The folder the grading process caches trusted results in (test lists, the tests' transpiled JavaScript):
 * `<checkout>/.cache/grader/`, outside every path a sandboxed test process may read or write (its workspace copy,
 * the grader's code and `node_modules`), so student code can neither read the test IDs nor poison the cache.
 * @param root - the instructor's checkout
 * @param name - the cache's own subfolder
 */
export function graderCacheDir(root: string, name: "test-lists" | "js"): string {
  return path.join(root, ".cache", "grader", name);
}

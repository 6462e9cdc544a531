import * as fs from "node:fs";
import * as path from "node:path";
import { frontEnds, KERNEL_DISPLAY_NAME, KERNEL_NAME, kernelSpec, ROOT, userDataDir } from "./frontEnds";

/**
 * `npm run kernel`: registers this checkout's pinned tslab as the user's "lecture34" Jupyter kernel (the only command
 * that writes outside the project), then says how to open the notebooks with the front ends installed here.
 */
function main(): void {
  const dir = path.join(userDataDir(), "kernels", KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "kernel.json"), `${JSON.stringify(kernelSpec(), null, 2)}\n`);
  const tslab = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "tslab", "package.json"), "utf8")) as { version: string }).version;
  console.log(`Registered kernel "${KERNEL_NAME}" ("${KERNEL_DISPLAY_NAME}", tslab ${tslab}) in ${dir}.`);
  const found = frontEnds().filter((f) => f.version);
  if (found.length > 0) {
    console.log("Open the notebooks with:");
    for (const f of found) console.log(`  ${f.name}: ${f.open}`);
  } else {
    console.log("No notebook front end found. Install one of:");
    for (const f of frontEnds()) console.log(`  ${f.name}: ${f.install}\n      then: ${f.open}`);
  }
}

main();

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { kernelSpec, KERNEL_NAME, ROOT } from "../../student/frontEnds";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * Starts `jupyter notebook` on the project (or `root`) with a throwaway Jupyter folder holding the tslab kernel, on
 * a free port with a random token; resolves once it listens.
 * @returns the server process, the URL of a notebook (`%s` for its file name), its log and its Jupyter folder
 */
export async function startNotebookServer(root: string = ROOT): Promise<{ server: ChildProcess; url: string; log: string[]; dir: string }> {
  const jupyterDir = fs.mkdtempSync(path.join(os.tmpdir(), "lecture34-jupyter-"));
  const kernelDir = path.join(jupyterDir, "data", "kernels", KERNEL_NAME);
  fs.mkdirSync(kernelDir, { recursive: true });
  fs.writeFileSync(path.join(kernelDir, "kernel.json"), JSON.stringify(kernelSpec(root)));
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const args = ["notebook", "--no-browser", `--port=${port}`, "--ip=127.0.0.1", `--NotebookApp.token=${token}`, `--notebook-dir=${root}`];
  if (process.getuid?.() === 0) args.push("--allow-root");
  const env = {
    ...process.env,
    JUPYTER_DATA_DIR: path.join(jupyterDir, "data"),
    JUPYTER_CONFIG_DIR: path.join(jupyterDir, "config"),
    JUPYTER_RUNTIME_DIR: path.join(jupyterDir, "runtime"),
    JUPYTER_PATH: path.join(jupyterDir, "data"),
    JUPYTER_PLATFORM_DIRS: "1",
  };
  const server = spawn("jupyter", args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jupyter notebook did not start in 60 s:\n${log.join("")}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log.push(chunk.toString());
      if (log.join("").includes(`127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on("data", onData);
    server.stderr!.on("data", onData);
    server.on("exit", (code) => reject(new Error(`jupyter notebook exited with ${code}:\n${log.join("")}`)));
  });
  return { server, url: `${url}/notebooks/notebooks/%s?token=${token}`, log, dir: jupyterDir };
}

// The Node/Bun side of the plugin: running the Graphiti command and keeping the state file.
import { spawn } from "node:child_process"
import { createHash, randomBytes } from "node:crypto"
import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises"
import { homedir } from "node:os"
import { dirname, join } from "node:path"
import type { CommandResult, PersistedState, RunCommand, StateStore } from "./core.js"

export const DEFAULT_COMMAND = "/opt/venv/bin/python /app/graphiti/memory.py"

/** GRAPHITI_HELPER is the command line (split on spaces) that runs graphiti/memory.py. */
export function commandLine(env: Record<string, string | undefined>): string[] {
  const raw = (env.GRAPHITI_HELPER ?? "").trim() || DEFAULT_COMMAND
  return raw.split(/\s+/)
}

/** Runs the command with arguments, stdin, a timeout; parses the JSON line it prints. Never rejects. */
export function commandRunner(command: string[], env: Record<string, string | undefined>): RunCommand {
  return (args, stdin, timeoutMs = 60_000) =>
    new Promise<CommandResult>((resolve) => {
      let stdout = ""
      let stderr = ""
      let settled = false
      const finish = (r: CommandResult) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve(r)
      }
      let child: any
      try {
        child = spawn(command[0], [...command.slice(1), ...args], { env, stdio: ["pipe", "pipe", "pipe"] })
      } catch (err) {
        finish({ code: -1, error: `cannot start ${command[0]}: ${(err as Error).message}` })
        return
      }
      const timer = setTimeout(() => {
        child.kill("SIGKILL")
        finish({ code: -1, error: `${command.join(" ")} ${args[0]} timed out after ${timeoutMs} ms`, stderr })
      }, timeoutMs)
      child.stdout.setEncoding("utf8")
      child.stderr.setEncoding("utf8")
      child.stdout.on("data", (d: string) => (stdout += d))
      // Keep only the end of stderr: Graphiti can be chatty and only the last lines matter.
      child.stderr.on("data", (d: string) => (stderr = (stderr + d).slice(-8000)))
      child.on("error", (err: Error) => finish({ code: -1, error: `cannot run ${command[0]}: ${err.message}`, stderr }))
      child.on("close", (code: number | null) => {
        let json: any
        const line = stdout.trim().split("\n").pop()
        try {
          json = line ? JSON.parse(line) : undefined
        } catch {
          json = undefined
        }
        finish({ code: code ?? -1, json, stderr })
      })
      child.stdin.on("error", () => undefined) // the command may exit before reading stdin
      child.stdin.end(stdin ?? "")
    })
}

/**
 * Where one served folder's state lives. `opencode serve` keeps a plugin instance per folder, so
 * each folder gets its own file (named by a hash of the folder's path) and instances never
 * overwrite each other's queue. `legacy` is the single file of earlier versions: the first
 * instance to start adopts it, so episodes it still queues are not lost.
 */
export function stateFile(env: Record<string, string | undefined>, directory: string): { path: string; legacy: string } {
  const data = env.XDG_DATA_HOME || join(homedir(), ".local", "share")
  const dir = env.GRAPHITI_MEMORY_STATE_DIR || join(data, "opencode", "graphiti-memory")
  const key = createHash("sha256").update(directory).digest("hex").slice(0, 24)
  return {
    path: join(dir, `${key}.json`),
    legacy: env.GRAPHITI_MEMORY_STATE || join(data, "opencode", "graphiti-memory.json"),
  }
}

let tmpCounter = 0

/**
 * A JSON file written atomically: a temporary file with a name no other writer uses (this
 * process's id, a counter and random bytes), created 0600 in a 0700 folder, then renamed over
 * the file. Saves through one store are serialised, so the last one wins.
 */
export function fileStore(path: string, legacy?: string): StateStore {
  let chain: Promise<void> = Promise.resolve()
  const read = async (file: string) => JSON.parse(await readFile(file, "utf8"))
  return {
    async load() {
      try {
        return await read(path)
      } catch (err: any) {
        if (err?.code !== "ENOENT") throw new Error(`${path}: ${err?.message ?? err}`)
      }
      if (!legacy) return undefined
      // rename is atomic: of several instances starting together, exactly one adopts the file.
      try {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 })
        await rename(legacy, path)
      } catch (err: any) {
        if (err?.code === "ENOENT") return undefined
        throw new Error(`${legacy}: ${err?.message ?? err}`)
      }
      try {
        return await read(path)
      } catch (err: any) {
        throw new Error(`${path}: ${err?.message ?? err}`)
      }
    },
    save(state: PersistedState) {
      const text = JSON.stringify(state)
      const next = chain.then(async () => {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 })
        const tmp = `${path}.${process.pid}.${++tmpCounter}.${randomBytes(6).toString("hex")}.tmp`
        // "wx": never through a file or link someone left under that name.
        await writeFile(tmp, text, { encoding: "utf8", mode: 0o600, flag: "wx" })
        try {
          await rename(tmp, path)
        } catch (err) {
          await unlink(tmp).catch(() => undefined)
          throw err
        }
      })
      chain = next.catch(() => undefined)
      return next
    },
  }
}

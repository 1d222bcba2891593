// The Node/Bun side of the plugin: running the Graphiti command and keeping the state file.
import { spawn } from "node:child_process"
import { mkdir, readFile, rename, writeFile } from "node:fs/promises"
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

export function statePath(env: Record<string, string | undefined>): string {
  if (env.GRAPHITI_MEMORY_STATE) return env.GRAPHITI_MEMORY_STATE
  const data = env.XDG_DATA_HOME || join(homedir(), ".local", "share")
  return join(data, "opencode", "graphiti-memory.json")
}

/** A JSON file written atomically (temporary file, then rename). */
export function fileStore(path: string): StateStore {
  return {
    async load() {
      try {
        return JSON.parse(await readFile(path, "utf8"))
      } catch (err: any) {
        if (err?.code === "ENOENT") return undefined
        throw new Error(`${path}: ${err?.message ?? err}`)
      }
    },
    async save(state: PersistedState) {
      await mkdir(dirname(path), { recursive: true })
      const tmp = `${path}.${process.pid}.tmp`
      await writeFile(tmp, JSON.stringify(state), "utf8")
      await rename(tmp, path)
    },
  }
}

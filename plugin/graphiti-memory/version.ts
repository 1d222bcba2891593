// Which OpenCode the plugin runs on, logged at start-up. memory_search declares its arguments as
// plain JSON Schema, which OpenCode's tool registry crashed on from 1.1.56 to 1.14.29, and a later
// release may accept only Zod schemas: the log line says which version to suspect.
import type { Log } from "./core.js"

/** The OpenCode releases the plugin was checked against (IMAGE.md, OPENCODE_PACKAGE). */
export const SUPPORTED = { from: [1, 14, 30], below: [1, 19, 0], text: "1.14.30 to 1.18.x" }

/** "1.18.33" -> [1, 18, 33]; undefined for anything that is not a plain release number. */
export function parseVersion(text: string): number[] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text.trim())
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}

export function isSupported(version: string): boolean | undefined {
  const v = parseVersion(version)
  if (!v) return undefined
  return compare(v, SUPPORTED.from) >= 0 && compare(v, SUPPORTED.below) < 0
}

/**
 * The version OpenCode reports on /global/health (1.x servers that have it), asked through the
 * SDK client the plugin is given. Undefined when the server does not say within `timeoutMs`.
 */
export async function openCodeVersion(client: any, timeoutMs = 10_000): Promise<string | undefined> {
  const health = client?.global?.health
  if (typeof health !== "function") return undefined
  let timer: unknown
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs)
  })
  try {
    const answer: any = await Promise.race([Promise.resolve().then(() => health.call(client.global)), late])
    const version = answer?.data?.version ?? answer?.version
    return typeof version === "string" && version.trim() ? version.trim() : undefined
  } catch {
    return undefined
  } finally {
    clearTimeout(timer)
  }
}

/** Logs the OpenCode version, with a warning when it is outside the supported range. Never throws. */
export async function logOpenCodeVersion(client: any, log: Log): Promise<void> {
  try {
    const version = await openCodeVersion(client)
    if (version === undefined) {
      log("warn", `memory: OpenCode did not report its version; the plugin is checked against ${SUPPORTED.text}`)
      return
    }
    const supported = isSupported(version)
    if (supported) {
      log("info", `memory: running on OpenCode ${version}`, { opencode: version })
    } else {
      log("warn", `memory: running on OpenCode ${version}, outside the checked range ${SUPPORTED.text}`, {
        opencode: version,
        supported: SUPPORTED.text,
      })
    }
  } catch {
    // Logging the version is a courtesy: it must never disturb start-up.
  }
}

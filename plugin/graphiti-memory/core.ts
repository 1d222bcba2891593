// Graphiti memory for OpenCode: the logic, free of OpenCode and Node imports so it can be tested
// on its own. It follows session messages from OpenCode's events, turns what a session said since
// its last record into one episode when the session goes idle, and hands episodes to the Graphiti
// command (graphiti/memory.py). A failure there is logged and retried later; it never reaches
// OpenCode.

/** What one run of the Graphiti command returned: its exit code and the JSON it printed. */
export interface CommandResult {
  code: number
  json?: any
  stderr?: string
  /** Set when the command could not be run at all (missing binary, timeout). */
  error?: string
}

export type RunCommand = (args: string[], stdin?: string, timeoutMs?: number) => Promise<CommandResult>

export type LogLevel = "debug" | "info" | "warn" | "error"
export type Log = (level: LogLevel, message: string, extra?: Record<string, unknown>) => void

/** Where the queue and the record of what was sent survive restarts. */
export interface StateStore {
  load(): Promise<unknown>
  save(state: PersistedState): Promise<void>
}

export interface Episode {
  key: string
  name: string
  body: string
  source_description: string
  reference_time: string
  attempts: number
  next_attempt_at: number
  last_error?: string
}

export interface PersistedState {
  version: 1
  /** Per session: ids of the messages already put in an episode, and episodes made so far. */
  sessions: Record<string, { recorded: string[]; parts: number }>
  pending: Episode[]
}

export interface Options {
  run: RunCommand
  log: Log
  store?: StateStore
  now?: () => number
  /** Schedules a retry; the default uses setTimeout and does not keep the process alive. */
  schedule?: (ms: number, fn: () => void) => void
  directory?: string
  maxBodyChars?: number
  maxMessageChars?: number
  maxPending?: number
  maxSessions?: number
  maxAttempts?: number
  retryBaseMs?: number
  retryMaxMs?: number
  addTimeoutMs?: number
  searchTimeoutMs?: number
}

interface MessageInfo {
  id: string
  role: string
  created: number
  /** Text gathered per part, from deltas and snapshots. */
  parts: Map<string, string>
  /** Parts finalised as something other than plain text: whatever else arrives for them is dropped. */
  excluded: Set<string>
}

interface SessionLive {
  title?: string
  messages: Map<string, MessageInfo>
}

// Exit codes of graphiti/memory.py (see graphiti/README.md).
const EXIT_USAGE = 2

export const DEFAULTS = {
  maxBodyChars: 12000,
  maxMessageChars: 2000,
  maxPending: 200,
  maxSessions: 1000,
  maxAttempts: 12,
  retryBaseMs: 5_000,
  retryMaxMs: 30 * 60_000,
  addTimeoutMs: 180_000,
  searchTimeoutMs: 30_000,
}

export class MemoryRecorder {
  private readonly o: Required<Omit<Options, "store" | "directory">> & Pick<Options, "store" | "directory">
  private readonly live = new Map<string, SessionLive>()
  private state: PersistedState = { version: 1, sessions: {}, pending: [] }
  private loaded?: Promise<void>
  private chain: Promise<void> = Promise.resolve()
  private timerAt?: number

  constructor(options: Options) {
    this.o = {
      now: () => Date.now(),
      schedule: (ms: number, fn: () => void) => {
        const t: any = setTimeout(fn, ms)
        if (t && typeof t.unref === "function") t.unref()
      },
      ...DEFAULTS,
      ...options,
    } as any
  }

  /** OpenCode's event hook. Never throws: memory trouble must not disturb the session. */
  async handleEvent(event: any): Promise<void> {
    try {
      await this.ensureLoaded()
      this.observe(event)
      const idle = idleSessionID(event)
      if (idle) await this.recordSession(idle)
    } catch (err) {
      this.safeLog("error", "memory: event handling failed", { error: describe(err) })
    }
  }

  /**
   * Turns what a session said since its last episode into a queued episode and starts sending
   * the queue in the background: the event hook returns at once, while entity extraction can
   * take minutes. `flush()` returns a promise for the sending.
   */
  async recordSession(sessionID: string): Promise<void> {
    try {
      await this.ensureLoaded()
      const next = this.buildEpisode(sessionID)
      if (next) {
        this.enqueue(sessionID, next.episode, next.messageIDs)
        await this.persist()
      }
      void this.flush()
    } catch (err) {
      this.safeLog("error", "memory: recording the session failed", { sessionID, error: describe(err) })
    }
  }

  /** The next episode of a session and the messages it covers; undefined when nothing is new. */
  buildEpisode(sessionID: string): { episode: Episode; messageIDs: string[] } | undefined {
    const live = this.live.get(sessionID)
    if (!live) return undefined
    const done = new Set(this.sessionRecord(sessionID).recorded)
    const fresh = [...live.messages.values()]
      .filter((m) => !done.has(m.id) && (m.role === "user" || m.role === "assistant"))
      .map((m) => ({ ...m, text: messageText(m) }))
      .filter((m) => m.text.length > 0)
      .sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1))
    if (fresh.length === 0) return undefined

    const lines = fresh.map((m) => `${m.role}: ${clip(m.text, this.o.maxMessageChars)}`)
    // Keep the end of a long exchange: the conclusions are there.
    let body = lines.join("\n")
    if (body.length > this.o.maxBodyChars) body = "…" + body.slice(body.length - this.o.maxBodyChars + 1)

    const record = this.sessionRecord(sessionID)
    const part = record.parts + 1
    const title = live.title ? ` "${clip(live.title, 80)}"` : ""
    const first = fresh[0]
    const last = fresh[fresh.length - 1]
    const episode: Episode = {
      key: `${sessionID}:${first.id}..${last.id}:${fresh.length}`,
      name: `OpenCode session ${sessionID}${title} part ${part}`,
      body,
      source_description: `OpenCode session ${sessionID}` + (this.o.directory ? ` in ${this.o.directory}` : ""),
      reference_time: new Date(first.created || this.o.now()).toISOString(),
      attempts: 0,
      next_attempt_at: 0,
    }
    return { episode, messageIDs: fresh.map((m) => m.id) }
  }

  /** Sends every pending episode that is due, one at a time. Never throws. */
  flush(): Promise<void> {
    const next = this.chain.then(() => this.ensureLoaded()).then(() => this.sendDue())
    this.chain = next.catch(() => undefined)
    return this.chain
  }

  /** The memory-search tool: formatted results, or a short note when memory is unavailable. */
  async search(query: string, limit = 8): Promise<string> {
    const q = String(query ?? "").trim()
    if (!q) return "Memory search needs a non-empty query."
    const n = Math.max(1, Math.min(50, Math.floor(Number(limit) || 8)))
    try {
      // The query is written by the model: after "--" it can never be read as an option.
      const result = await this.o.run(["search", "--limit", String(n), "--", q], undefined, this.o.searchTimeoutMs)
      if (result.code !== 0 || !result.json?.ok) {
        const why = failure(result)
        this.safeLog("warn", "memory: search failed", { error: why })
        return `Memory search is unavailable right now (${why}).`
      }
      return formatSearch(result.json)
    } catch (err) {
      this.safeLog("warn", "memory: search failed", { error: describe(err) })
      return `Memory search is unavailable right now (${describe(err)}).`
    }
  }

  pending(): readonly Episode[] {
    return this.state.pending
  }

  // -------------------------------------------------------------------------------------------

  private observe(event: any) {
    const type = event?.type
    const p = event?.properties ?? {}
    if (type === "message.updated" && p.info?.id && p.info?.sessionID) {
      const msg = this.message(p.info.sessionID, p.info.id)
      msg.role = String(p.info.role ?? msg.role)
      msg.created = Number(p.info.time?.created ?? msg.created) || msg.created
    } else if (type === "message.part.updated" && p.part?.id && p.part.sessionID && p.part.messageID) {
      const msg = this.message(p.part.sessionID, p.part.messageID)
      const id = String(p.part.id)
      if (p.part.type !== "text" || p.part.synthetic || p.part.ignored) {
        // Reasoning streams as text deltas that carry no part type: only this event says what the
        // part was, so everything gathered for it goes, and so does anything arriving later.
        msg.parts.delete(id)
        msg.excluded.add(id)
      } else if (!msg.excluded.has(id)) {
        // The part is a full snapshot: its text replaces what the deltas built up.
        msg.parts.set(id, String(p.part.text ?? ""))
      }
    } else if (type === "message.part.delta" && p.field === "text" && p.sessionID && p.messageID && p.partID) {
      const msg = this.message(p.sessionID, p.messageID)
      const id = String(p.partID)
      if (!msg.excluded.has(id)) msg.parts.set(id, (msg.parts.get(id) ?? "") + String(p.delta ?? ""))
    } else if (type === "message.removed" && p.sessionID && p.messageID) {
      this.live.get(p.sessionID)?.messages.delete(p.messageID)
    } else if ((type === "session.updated" || type === "session.created") && p.info?.id) {
      this.session(p.info.id).title = p.info.title || undefined
    } else if (type === "session.deleted" && p.info?.id) {
      this.live.delete(p.info.id)
    }
  }

  private session(id: string): SessionLive {
    let s = this.live.get(id)
    if (!s) this.live.set(id, (s = { messages: new Map() }))
    return s
  }

  private message(sessionID: string, id: string): MessageInfo {
    const s = this.session(sessionID)
    let m = s.messages.get(id)
    if (!m) s.messages.set(id, (m = { id, role: "unknown", created: 0, parts: new Map(), excluded: new Set() }))
    return m
  }

  private sessionRecord(sessionID: string) {
    return (this.state.sessions[sessionID] ??= { recorded: [], parts: 0 })
  }

  private enqueue(sessionID: string, episode: Episode, messageIDs: string[]) {
    const record = this.sessionRecord(sessionID)
    record.recorded.push(...messageIDs)
    record.parts += 1
    // Forget the oldest sessions' records so the state file stays small; their messages are
    // not seen again after a restart anyway unless the session is resumed.
    const ids = Object.keys(this.state.sessions)
    for (const old of ids.slice(0, Math.max(0, ids.length - this.o.maxSessions))) {
      if (old !== sessionID) delete this.state.sessions[old]
    }
    if (this.state.pending.some((e) => e.key === episode.key)) return
    this.state.pending.push(episode)
    while (this.state.pending.length > this.o.maxPending) {
      const dropped = this.state.pending.shift()!
      this.safeLog("error", "memory: queue full, dropping the oldest episode", { name: dropped.name })
    }
  }

  private async sendDue() {
    for (const episode of [...this.state.pending]) {
      if (episode.next_attempt_at > this.o.now()) continue
      const outcome = await this.send(episode)
      if (outcome === "sent" || outcome === "rejected") {
        this.state.pending = this.state.pending.filter((e) => e !== episode)
      } else {
        episode.attempts += 1
        if (episode.attempts >= this.o.maxAttempts) {
          this.safeLog("error", "memory: giving up on an episode", {
            name: episode.name,
            attempts: episode.attempts,
            error: episode.last_error,
          })
          this.state.pending = this.state.pending.filter((e) => e !== episode)
        } else {
          const delay = Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** (episode.attempts - 1))
          episode.next_attempt_at = this.o.now() + delay
        }
      }
      await this.persist()
    }
    this.scheduleRetry()
  }

  private async send(episode: Episode): Promise<"sent" | "rejected" | "retry"> {
    const input = JSON.stringify({
      name: episode.name,
      body: episode.body,
      source_description: episode.source_description,
      reference_time: episode.reference_time,
    })
    let result: CommandResult
    try {
      result = await this.o.run(["add-episode", "--json"], input, this.o.addTimeoutMs)
    } catch (err) {
      result = { code: -1, error: describe(err) }
    }
    if (result.code === 0 && result.json?.ok) {
      this.safeLog("info", "memory: episode recorded", {
        name: episode.name,
        duplicate: Boolean(result.json.duplicate),
      })
      return "sent"
    }
    episode.last_error = failure(result)
    if (result.code === EXIT_USAGE) {
      // The command refused the episode itself: sending it again cannot help.
      this.safeLog("error", "memory: episode rejected", { name: episode.name, error: episode.last_error })
      return "rejected"
    }
    this.safeLog("warn", "memory: episode not recorded, will retry", {
      name: episode.name,
      attempt: episode.attempts + 1,
      error: episode.last_error,
    })
    return "retry"
  }

  private scheduleRetry() {
    const due = this.state.pending.map((e) => e.next_attempt_at)
    if (due.length === 0) return
    const at = Math.min(...due)
    if (this.timerAt !== undefined && this.timerAt <= at && this.timerAt > this.o.now()) return
    this.timerAt = at
    this.o.schedule(Math.max(0, at - this.o.now()), () => {
      this.timerAt = undefined
      void this.flush()
    })
  }

  private ensureLoaded(): Promise<void> {
    return (this.loaded ??= (async () => {
      if (!this.o.store) return
      try {
        const raw: any = await this.o.store.load()
        if (raw && raw.version === 1 && typeof raw.sessions === "object" && Array.isArray(raw.pending)) {
          this.state = { version: 1, sessions: raw.sessions, pending: raw.pending }
        }
      } catch (err) {
        this.safeLog("warn", "memory: state file unreadable, starting afresh", { error: describe(err) })
      }
    })())
  }

  private async persist() {
    if (!this.o.store) return
    try {
      await this.o.store.save(this.state)
    } catch (err) {
      this.safeLog("warn", "memory: cannot save state", { error: describe(err) })
    }
  }

  private safeLog(level: LogLevel, message: string, extra?: Record<string, unknown>) {
    try {
      this.o.log(level, message, extra)
    } catch {
      // A broken logger must not break the session either.
    }
  }
}

export function idleSessionID(event: any): string | undefined {
  const p = event?.properties
  if (event?.type === "session.idle" && p?.sessionID) return String(p.sessionID)
  if (event?.type === "session.status" && p?.sessionID && p?.status?.type === "idle") return String(p.sessionID)
  return undefined
}

function messageText(m: MessageInfo): string {
  return [...m.parts.values()].map((t) => t.trim()).filter(Boolean).join("\n")
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + "…"
}

export function describe(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}

/** One line saying why a command run failed. */
export function failure(result: CommandResult): string {
  if (result.error) return result.error
  const e = result.json?.error
  if (e?.message) return `${e.code ?? "error"}: ${e.message}`
  const tail = (result.stderr ?? "").trim().split("\n").pop()
  return `exit ${result.code}` + (tail ? `: ${tail}` : "")
}

export function formatSearch(json: any): string {
  const facts: any[] = json.facts ?? []
  const entities: any[] = json.entities ?? []
  const episodes: any[] = json.episodes ?? []
  if (!facts.length && !entities.length && !episodes.length) return `No memory found for "${json.query}".`
  const out: string[] = []
  if (facts.length) {
    out.push("Facts:")
    for (const f of facts) {
      const when = f.valid_at ? ` (since ${f.valid_at})` : ""
      const ended = f.invalid_at ? ` (until ${f.invalid_at})` : ""
      out.push(`- ${f.fact}${when}${ended}`)
    }
  }
  if (entities.length) {
    out.push("Entities:")
    for (const n of entities) out.push(`- ${n.name}${n.summary ? `: ${clip(n.summary, 300)}` : ""}`)
  }
  if (episodes.length) {
    out.push("Episodes:")
    for (const ep of episodes) {
      out.push(`- ${ep.name} (${ep.created_at ?? "unknown time"}): ${clip(String(ep.content ?? ""), 500)}`)
    }
  }
  return out.join("\n")
}

// Minimal Node declarations for type-checking the plugin (Debian has no @types/node package).
declare var process: { env: Record<string, string | undefined>; pid: number }
declare function setTimeout(fn: () => void, ms: number): unknown
declare function clearTimeout(t: unknown): void
declare var console: { error(...args: unknown[]): void; log(...args: unknown[]): void }
declare module "node:child_process" {
  export function spawn(command: string, args: string[], options: { env?: Record<string, string | undefined>; stdio?: string[] }): any
}
declare module "node:fs/promises" {
  export function readFile(path: string, encoding: "utf8"): Promise<string>
  export function writeFile(path: string, data: string, options: { encoding: "utf8"; mode?: number; flag?: string }): Promise<void>
  export function rename(from: string, to: string): Promise<void>
  export function unlink(path: string): Promise<void>
  export function mkdir(path: string, options: { recursive: boolean; mode?: number }): Promise<string | undefined>
}
declare module "node:crypto" {
  export function createHash(algorithm: string): { update(data: string): { digest(encoding: "hex"): string } }
  export function randomBytes(size: number): { toString(encoding: "hex"): string }
}
declare module "node:os" {
  export function homedir(): string
}
declare module "node:path" {
  export function join(...parts: string[]): string
  export function dirname(path: string): string
}

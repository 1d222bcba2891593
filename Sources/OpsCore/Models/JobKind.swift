/// The long operations that run detached from the console, outliving its SSH session.
public enum JobKind: String, Codable, CaseIterable, Sendable {
    case build
    case rebuild
    case rollback
    case backup
    case restore
    /// Reads a backup back and test-restores it into scratch space in the container.
    case verify
    case apply

    /// Jobs that would trample each other share a lock: two builds (or a build and a rebuild)
    /// fight over the image tag, a backup, a restore and a verify over the data (the scripts'
    /// lock refuses a second one anyway).
    public var lockName: String {
        switch self {
        case .build, .rebuild, .rollback, .apply: return "image"
        case .backup, .restore, .verify: return "data"
        }
    }

    /// The subcommand (of this same program) the job runs.
    public func arguments(target: String? = nil) -> [String] {
        switch self {
        case .build: return ["build"]
        case .rebuild: return ["rebuild"]
        case .rollback: return ["rebuild", "--rollback"]
        case .backup: return ["backup", "run"]
        case .restore: return ["backup", "restore", target ?? "", "--yes"]
        case .verify: return ["backup", "verify", target ?? ""]
        case .apply: return ["apply"]
        }
    }

    /// Jobs that replace the OpenCode container: a backup started meanwhile would be killed.
    public var replacesContainers: Bool {
        switch self {
        case .rebuild, .rollback, .apply: return true
        case .build, .backup, .restore, .verify: return false
        }
    }

    /// Jobs that refuse while a backup or restore runs in the OpenCode container, and can wait.
    public var waitsForBackups: Bool {
        switch self {
        case .rebuild, .rollback, .apply, .restore: return true
        case .build, .backup, .verify: return false
        }
    }
}

import Foundation

extension JobKind {
    /// `20250102T153000Z-1a2b` for a backup, `KIND-20250102T153000Z-1a2b` for the others: the
    /// form the backup scripts give their runs, which they take as given (`--run-id`).
    public static func runID(kind: JobKind, now: Date, suffix: UInt16) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let stamp = "\(c.year ?? 0)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
        let hex = String(suffix, radix: 16)
        let id = stamp + "-" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return kind == .backup ? id : "\(kind.rawValue)-\(id)"
    }

    /// The run id a backup or restore job hands to the script: its own id when it has the
    /// script's form, nil for a job recorded under the older form.
    public static func scriptRunID(jobID: String?, kind: JobKind) -> String? {
        guard let jobID else { return nil }
        let stamp = kind == .restore ? (jobID.hasPrefix("restore-") ? String(jobID.dropFirst(8)) : "") : jobID
        let characters = Array(stamp)
        guard characters.count == 21, characters[8] == "T", characters[15] == "Z", characters[16] == "-",
              characters.enumerated().allSatisfy({ index, c in
                  [8, 15, 16].contains(index) || (index < 16 ? c.isASCII && c.isNumber : c.isHexDigit && !c.isUppercase)
              }) else { return nil }
        return jobID
    }
}

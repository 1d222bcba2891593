/// How backup figures read on screen and in the subcommands' text output.
public enum BackupFormat {
    /// `812 B`, `1.5 KB`, `200.0 MB`, `1.2 GB` (powers of 1024, like rclone).
    public static func bytes(_ count: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        return "\(formatted(value, decimals: 1)) \(units[unit])"
    }

    public static func rate(_ bytesPerSecond: Double) -> String {
        bytes(Int(bytesPerSecond.rounded())) + "/s"
    }

    /// `8 s`, `3 min`, `1 h 5 min`.
    public static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return "\(max(0, seconds)) s" }
        if seconds < 3600 { return "\(seconds / 60) min" }
        return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
    }

    /// The part of a backup id an operator types to confirm a restore: the random suffix of
    /// `20261127T020000Z-1a2b` (`1a2b`), or the whole id when it has none.
    public static func shortID(_ id: String) -> String {
        guard let dash = id.lastIndex(of: "-"), id.index(after: dash) < id.endIndex else { return id }
        return String(id[id.index(after: dash)...])
    }

    /// `2026-11-27T02:00:00.12Z` → `11-27 02:00`; anything else as given.
    public static func shortTime(_ iso: String) -> String {
        let characters = Array(iso)
        guard characters.count >= 16, characters[10] == "T" else { return iso }
        return String(characters[5..<10]) + " " + String(characters[11..<16])
    }

    /// `2026-11-27T02:00:05.12Z` → `11-27 02:00:05`: history rows, where two runs in one minute
    /// must read apart; anything else as given.
    public static func rowTime(_ iso: String) -> String {
        let characters = Array(iso)
        guard characters.count >= 19, characters[10] == "T" else { return shortTime(iso) }
        return String(characters[5..<10]) + " " + String(characters[11..<19])
    }

    /// One line about a running job's progress: phase, percent, bytes, rate, ETA.
    public static func progressLine(_ record: BackupRunRecord) -> String {
        var parts = [record.phase]
        if let progress = record.progress {
            if let fraction = progress.fraction { parts.append("\(Int((fraction * 100).rounded(.down)))%") }
            if let total = progress.total, total > 0 {
                parts.append("\(bytes(progress.bytes))/\(bytes(total))")
            } else if progress.bytes > 0 {
                parts.append(bytes(progress.bytes))
            }
            if let rate = progress.rate, rate > 0 { parts.append(self.rate(rate)) }
            if let eta = progress.eta { parts.append("ETA \(duration(eta))") }
        }
        return parts.joined(separator: " ")
    }

    private static func formatted(_ value: Double, decimals: Int) -> String {
        let scale = decimals == 1 ? 10.0 : 1.0
        let rounded = (value * scale).rounded() / scale
        let whole = Int(rounded)
        let tenth = Int(((rounded - Double(whole)) * 10).rounded())
        return decimals == 1 ? "\(whole).\(tenth)" : "\(whole)"
    }
}

extension BackupFormat {
    /// A run id (`20261127T020000Z-1a2b`) as the ISO time it encodes, so a run known only by
    /// its id sorts and shows like a recorded one.
    public static func startedAt(runID: String) -> String {
        let characters = Array(runID)
        guard characters.count >= 16, characters[8] == "T", characters[15] == "Z" else { return runID }
        let d = String(characters[0..<8])
        let t = String(characters[9..<15])
        return "\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2))T\(t.prefix(2)):\(t.dropFirst(2).prefix(2)):\(t.suffix(2))Z"
    }
}

import Foundation

extension BackupFormat {
    /// A date as `11-28 02:00 UTC`.
    public static func shortTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)) UTC"
    }
}

/// The progress lines a followed run prints, one per change of what they say: a record comes
/// at every change of the run, and many changes (a phase's timing, a save) read the same.
public struct BackupProgressLines: Sendable {
    private var last = ""

    public init() {}

    /// The line for `record` when it says something new; nil for a repeat or a finished run.
    public mutating func line(for record: BackupRunRecord) -> String? {
        guard record.result == .running else { return nil }
        let line = BackupFormat.progressLine(record)
        guard line != last else { return nil }
        last = line
        return line
    }
}

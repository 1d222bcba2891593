import Foundation
import OpsCore

/// The project's images with their role and whether a prune takes them, the pod's volumes, and
/// podman's storage totals. j/k scroll; `P` prunes; Esc closes.
enum ImagesOverlay {
    static func draw(into grid: inout Grid, state: AppState, scroll: Int, glyphs: Glyphs) {
        let inner = Dialog.draw(
            into: &grid, title: "Images & disk (P prunes, Esc closes)", width: grid.width - 4, height: grid.height - 2, glyphs: glyphs
        )
        guard inner.width > 2, inner.height > 0 else { return }
        let lines = Self.lines(for: state.images, readonly: state.settings.readonly, glyphs: glyphs)
        let first = min(max(0, scroll), max(0, lines.count - inner.height))
        for (row, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let text = Text.fit(Text.displayable(line.text, glyphs: glyphs), width: inner.width - 2, glyphs: glyphs)
            grid.put(text, x: inner.x + 1, y: inner.y + row, role: line.role)
        }
    }

    struct Line: Equatable {
        var text: String
        var role: StyleRole
    }

    static func lines(for images: ImagesState, readonly: Bool, glyphs: Glyphs) -> [Line] {
        var lines: [Line] = []
        switch images {
        case .notLoaded, .loading(nil, _):
            return [Line(text: "\(glyphs.pending) listing images and volumes", role: .pending)]
        case .failed(let reason, nil):
            return [Line(text: "\(glyphs.fail) \(reason)", role: .fail)]
        case .loading:
            lines.append(Line(text: "\(glyphs.pending) listing again", role: .pending))
        case .failed(let reason, _):
            lines.append(Line(text: "\(glyphs.fail) \(reason) (showing the last listing)", role: .fail))
        case .pruning:
            lines.append(Line(text: "\(glyphs.pending) pruning", role: .pending))
        case .loaded:
            break
        }
        guard let inventory = images.inventory else { return lines }
        lines.append(Line(text: "Images of \(inventory.reference) (as of \(JobsOverlay.time(inventory.takenAt)))", role: .title))
        if inventory.images.isEmpty {
            lines.append(Line(text: "none: build with b or :build", role: .muted))
        } else {
            lines.append(Line(text: row("ROLE", "ID", "CREATED", "SIZE", "PRUNE"), role: .muted))
            for image in inventory.images {
                let created = image.image.createdAt.map(minute) ?? "-"
                let prune = image.keptBecause.map { "kept: \($0)" } ?? "\(glyphs.warn) goes with P"
                lines.append(Line(
                    text: row(image.role.rawValue, PodmanImageReference.short(image.image.id), created, BackupFormat.bytes(image.image.size), prune),
                    role: image.isPrunable ? .warn : .text
                ))
            }
        }
        let prunable = inventory.prunable
        if prunable.isEmpty {
            lines.append(Line(text: "\(glyphs.ok) nothing to prune", role: .ok))
        } else if readonly {
            lines.append(Line(text: "\(prunable.count) could be pruned (up to \(BackupFormat.bytes(inventory.prunableBytes))); read-only: P is refused", role: .muted))
        } else {
            lines.append(Line(text: "P prunes \(prunable.count) (up to \(BackupFormat.bytes(inventory.prunableBytes)); shared layers stay)", role: .text))
        }
        lines.append(Line(text: "", role: .text))
        lines.append(Line(text: "Volumes (never pruned)", role: .title))
        if inventory.volumes.isEmpty {
            lines.append(Line(text: "none yet: u creates them", role: .muted))
        }
        for volume in inventory.volumes {
            lines.append(Line(text: "\(volume.name)  \(volume.size.map(BackupFormat.bytes) ?? "size unknown")", role: .text))
        }
        lines.append(Line(text: "", role: .text))
        lines.append(Line(text: "All of podman's storage (podman system df)", role: .title))
        if let problem = inventory.totalsProblem {
            lines.append(Line(text: "\(glyphs.warn) \(problem)", role: .warn))
        }
        for total in inventory.totals {
            lines.append(Line(
                text: "\(total.kind): \(total.total) (\(total.active) in use), \(BackupFormat.bytes(total.size)), reclaimable \(BackupFormat.bytes(total.reclaimable))",
                role: .text
            ))
        }
        return lines
    }

    private static func row(_ role: String, _ id: String, _ created: String, _ size: String, _ prune: String) -> String {
        [role.padding(toLength: 8, withPad: " ", startingAt: 0), id.padding(toLength: 12, withPad: " ", startingAt: 0),
         created.padding(toLength: 12, withPad: " ", startingAt: 0), size.padding(toLength: 9, withPad: " ", startingAt: 0), prune]
            .joined(separator: " ")
    }

    /// `11-26 09:06Z`: to the minute, in UTC, so the reasons keep their room at 80 columns.
    private static func minute(_ date: Date) -> String {
        String(JobsOverlay.time(date).dropLast(4)) + "Z"
    }
}

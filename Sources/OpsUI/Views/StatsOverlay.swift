import Foundation
import OpsCore

/// CPU, memory, network and block I/O of each of the pod's containers, each figure with a
/// sparkline of its last minutes. j/k scroll; `s` or Esc closes (which stops podman stats).
enum StatsOverlay {
    static let labelWidth = 10
    static let valueWidth = 34

    static func draw(into grid: inout Grid, state: AppState, scroll: Int, glyphs: Glyphs) {
        let inner = Dialog.draw(
            into: &grid, title: "Stats (s or Esc closes)", width: grid.width - 4, height: grid.height - 2, glyphs: glyphs
        )
        guard inner.width > 2, inner.height > 0 else { return }
        let textWidth = inner.width - 2
        let chartWidth = min(StatsState.historyLength, textWidth - labelWidth - valueWidth - 1)
        let lines = Self.lines(for: state.stats, pod: state.settings.pod, glyphs: glyphs)
        let first = min(max(0, scroll), max(0, lines.count - inner.height))
        for (row, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + row
            let text = Text.fit(Text.displayable(line.text, glyphs: glyphs), width: textWidth, glyphs: glyphs)
            grid.put(text, x: inner.x + 1, y: y, role: line.role)
            // Charts only where they have room to say something.
            if let values = line.chart, chartWidth >= 8 {
                let chart = Sparkline.render(
                    values, width: chartWidth, glyphs: glyphs, fromLowest: line.chartFromLowest, minimumTop: line.chartMinimumTop
                )
                grid.put(chart, x: inner.x + 1 + labelWidth + valueWidth + 1, y: y, role: .info)
            }
        }
    }

    struct Line: Equatable {
        var text: String
        var role: StyleRole
        var chart: [Double]?
        /// The chart's scale starts at its smallest value rather than zero.
        var chartFromLowest = false
        /// The least the chart's top stands for: 1 % of CPU, 1 KB/s of I/O.
        var chartMinimumTop: Double = 0
    }

    static func lines(for stats: StatsState, pod: String, glyphs: Glyphs) -> [Line] {
        var lines: [Line] = []
        if let reason = stats.ended {
            lines.append(Line(text: "\(glyphs.fail) \(reason) (close and open again to retry)", role: .fail))
        } else if stats.samples == 0 {
            lines.append(Line(text: "\(glyphs.pending) starting podman stats (a sample every \(StatsState.interval) s)", role: .pending))
            return lines
        } else {
            let minutes = StatsState.historyLength * StatsState.interval / 60
            lines.append(Line(text: "a sample every \(StatsState.interval) s; charts show the last \(minutes) min", role: .muted))
        }
        if stats.samples > 0 && stats.containers.isEmpty {
            lines.append(Line(text: "no container of pod \(pod) is running: u brings it up", role: .muted))
        }
        for history in stats.containers {
            let figures = history.latest
            lines.append(Line(text: "", role: .text))
            lines.append(Line(text: figures.name + (figures.pids.map { "  \($0) pids" } ?? ""), role: .title))
            lines.append(Line(text: row("CPU", String(format: "%.1f%%", figures.cpuPercent)), role: .text, chart: history.cpu, chartMinimumTop: 1))
            let share = figures.memoryLimit > 0
                ? String(format: " (%.1f%%)", Double(figures.memoryUsed) * 100 / Double(figures.memoryLimit)) : ""
            let memory = "\(bytes(figures.memoryUsed)) / \(bytes(figures.memoryLimit))\(share)"
            lines.append(Line(text: row("MEMORY", memory), role: .text, chart: history.memory, chartFromLowest: true))
            let network = "rx \(bytes(figures.networkReceived)) tx \(bytes(figures.networkSent)) \(rate(history.networkRate))"
            lines.append(Line(text: row("NET", network), role: .text, chart: history.network, chartMinimumTop: 1024))
            let block = "r \(bytes(figures.blockRead)) w \(bytes(figures.blockWritten)) \(rate(history.blockRate))"
            lines.append(Line(text: row("BLOCK", block), role: .text, chart: history.block, chartMinimumTop: 1024))
        }
        return lines
    }

    /// A label and its figures, padded so the chart starts in the same column on every row.
    private static func row(_ label: String, _ value: String) -> String {
        let value = value.count > valueWidth ? String(value.prefix(valueWidth)) : value
        return "  " + label.padding(toLength: labelWidth - 2, withPad: " ", startingAt: 0)
            + value.padding(toLength: valueWidth, withPad: " ", startingAt: 0)
    }

    private static func bytes(_ count: Int64) -> String {
        BackupFormat.bytes(Int(count))
    }

    private static func rate(_ bytesPerSecond: Double?) -> String {
        bytesPerSecond.map(BackupFormat.rate) ?? ""
    }
}

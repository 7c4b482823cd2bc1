// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// The progress line of a long command on standard error: bar, amount done of the total,
/// rate and ETA — `hybridsim sweep` counts points, `run` and `check` count requests (or
/// simulated seconds). Shown only when standard error is a terminal and the command is not
/// `--quiet`; the wall clock is used for display only, never by the simulation.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Double
    private let unit: String
    private let started = ContinuousClock.now
    private var lastDrawn = ContinuousClock.now - .seconds(1)
    private var finished = false

    /// nil when standard error is not a terminal (unless the environment variable
    /// `HYBRIDSIM_PROGRESS` is `1`: asked for, e.g. by a log collector or a test), `quiet`, or
    /// there is nothing to count.
    init?(total: Double, unit: String, quiet: Bool) {
        let asked = ProcessInfo.processInfo.environment["HYBRIDSIM_PROGRESS"] == "1"
        guard !quiet, total > 0, asked || isatty(STDERR_FILENO) == 1 else { return nil }
        self.total = total
        self.unit = unit
    }

    /// Redraws the line (at most ten times a second, and once more, ending the line, when
    /// `done` reaches the total).
    func update(done: Double) {
        lock.withLock {
            guard !finished else { return }
            let now = ContinuousClock.now
            let complete = done >= total
            guard complete || now - lastDrawn >= .milliseconds(100) else { return }
            lastDrawn = now
            finished = complete
            let elapsed = Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18
            let rate = elapsed > 0 ? done / elapsed : 0
            let eta = rate > 0 ? (total - done) / rate : 0
            let width = 30, filled = min(width, Int(Double(width) * done / total))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = "\r[\(bar)] \(Self.amount(done))/\(Self.amount(total)) \(unit)  \(Self.amount(rate)) \(unit)/s  ETA "
                + Self.duration(eta) + "   "
            FileHandle.standardError.write(Data((line + (complete ? "\n" : "")).utf8))
        }
    }

    /// 950, 12.3k, 4.56M: short enough for one line.
    static func amount(_ x: Double) -> String {
        switch x {
        case ..<1_000: return x == x.rounded() ? String(Int(x)) : String(format: "%.2f", x)
        case ..<1_000_000: return String(format: "%.1fk", x / 1e3)
        default: return String(format: "%.2fM", x / 1e6)
        }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

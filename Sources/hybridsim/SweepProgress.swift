// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// The progress line of `hybridsim sweep` on standard error: bar, points done, rate and ETA.
/// Shown only when standard error is a terminal; the wall clock is used for display only.
final class SweepProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let started = ContinuousClock.now
    private var lastDrawn = ContinuousClock.now - .seconds(1)

    /// nil when standard error is not a terminal or `quiet`.
    init?(total: Int, quiet: Bool) {
        guard !quiet, total > 0, isatty(STDERR_FILENO) == 1 else { return nil }
        self.total = total
    }

    /// Redraws the line (at most ten times a second, and always at the end).
    func update(done: Int) {
        lock.withLock {
            let now = ContinuousClock.now
            guard done == total || now - lastDrawn >= .milliseconds(100) else { return }
            lastDrawn = now
            let elapsed = Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18
            let rate = elapsed > 0 ? Double(done) / elapsed : 0
            let eta = rate > 0 ? Double(total - done) / rate : 0
            let width = 30, filled = width * done / total
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = "\r[\(bar)] \(done)/\(total) points  " + String(format: "%.2f", rate) + " points/s  ETA " + Self.duration(eta)
            FileHandle.standardError.write(Data((line + (done == total ? "\n" : "")).utf8))
        }
    }

    private static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" : s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}

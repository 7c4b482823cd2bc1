// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// The process's peak resident set size, from /proc/self/status (Linux only).
enum PeakMemory {
    static func residentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }
}

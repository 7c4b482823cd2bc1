// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser

/// Checks an output path given on the command line (`--out`, `--to`, `--junit`) before any
/// work: an empty or blank path would resolve to the current or root directory and scatter
/// the results there, so it is refused (exit 2) instead.
enum OutputPathCheck {
    static func check(_ path: String?, option: String = "--out") throws {
        guard let path else { return }
        if path.allSatisfy(\.isWhitespace) {
            throw ValidationError("\(option) is empty: name a folder or file to write, e.g. \(option) results/mine")
        }
        if path.contains("\n") || path.contains("\0") {
            throw ValidationError("\(option) contains a line break or a NUL character: name a plain path")
        }
    }
}

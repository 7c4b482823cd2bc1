// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation

/// Checks an output path given on the command line (`--out`, `--to`, `--junit`) before any
/// work: an empty or blank path would resolve to the current or root directory and scatter
/// the results there, so it is refused (exit 2) instead; so is a results folder that is a file.
enum OutputPathCheck {
    /// `folder`: the option names a folder to write into, so an existing file there is refused.
    static func check(_ path: String?, option: String = "--out", folder: Bool = false) throws {
        guard let path else { return }
        if path.allSatisfy(\.isWhitespace) {
            throw ValidationError("\(option) is empty: name a folder or file to write, e.g. \(option) results/mine")
        }
        if path.contains("\n") || path.contains("\0") {
            throw ValidationError("\(option) contains a line break or a NUL character: name a plain path")
        }
        var isDirectory: ObjCBool = false
        if folder, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("\(option) \(path) is a file, not a folder: name a folder to write the results into")
        }
    }
}

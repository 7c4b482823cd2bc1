// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// Writes files so that a reader sees either the old content or the complete new one, never
/// a half-written file: the bytes go to a temporary file in the same directory, which is then
/// renamed over the target.
public enum AtomicFile {
    /// Writes `text` (UTF-8) to `path`, creating missing parent directories.
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}

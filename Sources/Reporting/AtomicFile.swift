// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// Writes files so that a reader sees either the old content or the complete new one, never
/// a half-written file: the bytes go to a temporary file in the same directory,
/// `.NAME.tmp-PID`, which is then renamed over the target.
///
/// A process killed between the two steps leaves its temporary file behind. The next write of
/// the same file removes such leftovers of processes that no longer run, and
/// `removeLeftovers(in:)` removes every leftover of a folder that one process owns (a run's
/// folder when the run starts, a sweep's folder under its `FolderLock`), including the
/// `.dat.nosync…` files of Foundation's own atomic writes, which earlier versions used.
public enum AtomicFile {
    /// Marks a temporary file of this type: `.NAME` + marker + pid.
    static let temporaryMarker = ".tmp-"
    /// Prefix of Foundation's temporary files (`Data.write(to:options: .atomic)`).
    static let foundationTemporaryPrefix = ".dat.nosync"

    /// Writes `text` (UTF-8) to `path`, creating missing parent directories.
    public static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = url.lastPathComponent
        removeLeftovers(in: directory, of: name)
        let temporary = directory + "/." + name + temporaryMarker + String(getpid())
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                                                           NSLocalizedDescriptionKey: "cannot rename \(temporary) to \(path): \(reason)"])
        }
    }

    /// Removes the temporary files a killed writer left in `directory`: this type's (of dead
    /// processes only) and Foundation's `.dat.nosync…`. Call it only on a folder that this
    /// process owns, since a Foundation temporary file does not say whose it is.
    public static func removeLeftovers(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(foundationTemporaryPrefix) || isDeadLeftover(name, of: nil) {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// Removes this type's temporary files of `target` left in `directory` by dead processes.
    private static func removeLeftovers(in directory: String, of target: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where isDeadLeftover(name, of: target) {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// Whether `name` is `.TARGET.tmp-PID` (any target when nil) of a process that no longer runs.
    static func isDeadLeftover(_ name: String, of target: String?) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: temporaryMarker, options: .backwards),
              let pid = Int32(name[marker.upperBound...]), pid > 0 else { return false }
        if let target, name[name.index(after: name.startIndex)..<marker.lowerBound] != target { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}

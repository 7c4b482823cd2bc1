// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// An exclusive lock on a results folder, so that two processes never write one folder at
/// once (two sweeps into one `--out`): `flock(2)` on `DIR/.hybridsim.lock`, which holds the
/// holder's process id.
///
/// The operating system releases the lock when its holder exits, however it exits (a kill or
/// a crash included), so the lock of a dead process is taken over by the next writer without
/// any clean-up; the pid left in the file is only read to name a live holder. The lock is
/// held until the value is released or the process ends.
public final class FolderLock: @unchecked Sendable {
    /// The lock file's name inside the folder.
    public static let fileName = ".hybridsim.lock"

    /// Another live process holds the lock.
    public struct Held: Error, CustomStringConvertible, Sendable {
        public var directory: String
        /// The holder's process id, when the lock file names one.
        public var pid: Int32?
        public var description: String {
            "another sweep is writing to \(directory)" + (pid.map { " (pid \($0))" } ?? "")
        }
    }

    public let directory: String
    /// The open lock file; closing it releases the lock.
    private var descriptor: Int32

    /// Takes the lock on `directory` (created when missing) without waiting: throws `Held`
    /// when another process holds it, or a Foundation error when the file cannot be opened.
    public init(directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        let path = directory + "/" + Self.fileName
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                                                           NSLocalizedDescriptionKey: "cannot open \(path): \(String(cString: strerror(errno)))"])
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPid(descriptor)
            close(descriptor)
            throw Held(directory: directory, pid: holder)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBufferPointer { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit { release() }

    /// Releases the lock (also done when the value is freed or the process ends).
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    /// The pid written in the lock file, if it holds one.
    private static func readPid(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBufferPointer { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// What kind of thing a path names, so that a command given a folder, a device (`/dev/null`),
/// a FIFO or a terminal (`/dev/stdin`) instead of a file says so rather than passing on the
/// operating system's words ("You don't have permission").
enum FileKind: Equatable {
    case missing
    case regularFile(bytes: Int64)
    case directory
    /// A FIFO, socket, character or block device: nothing a scenario names may be one.
    case special(String)

    /// The kind of `path`, following symbolic links.
    static func of(_ path: String) -> FileKind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile(bytes: Int64(info.st_size))
        case S_IFDIR: return .directory
        case S_IFIFO: return .special("a FIFO (named pipe)")
        case S_IFSOCK: return .special("a socket")
        case S_IFCHR: return .special("a character device")
        case S_IFBLK: return .special("a block device")
        default: return .special("not a regular file")
        }
    }

    /// Why a file to read cannot be `path` (nil for a regular file or a missing one), in words
    /// that end a sentence starting with the file's name: "is a folder, not a file".
    var problem: String? {
        switch self {
        case .missing, .regularFile: nil
        case .directory: "is a folder, not a file"
        case .special(let what): "is \(what), not a regular file"
        }
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// Reads a UTF-8 text file that a scenario names (a CSV of samples, a trace, an included
/// scenario part), turning each way of failing into words for a diagnostic.
enum TextFile {
    /// Why a file could not be read.
    enum Failure: Error, Equatable {
        case missing
        case unreadable(String)
        case notUTF8
        case directory
        /// A FIFO, device or socket (`FileKind.special`), named in words.
        case notRegular(String)
    }

    /// The text of the file at `path`.
    /// A UTF-8 byte order mark (U+FEFF) at the start is dropped: it is allowed by YAML and
    /// written by some editors, and it is not part of the text.
    static func read(_ path: String) throws(Failure) -> String {
        let kind = FileKind.of(path)
        guard kind != .missing, FileManager.default.fileExists(atPath: path) else { throw .missing }
        if kind == .directory { throw .directory }
        if case .special(let what) = kind { throw .notRegular(what) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable((error as NSError).localizedDescription)
        }
        guard var text = String(validating: data, as: UTF8.self) else { throw .notUTF8 }
        dropByteOrderMark(&text)
        return text
    }

    /// Removes a leading byte order mark (U+FEFF) from `text`.
    static func dropByteOrderMark(_ text: inout String) {
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
    }

    /// A sentence about `what` (`the samples file`) at `path` failing this way.
    static func message(_ failure: Failure, what: String, path: String) -> String {
        switch failure {
        case .missing: "\(what) `\(path)` does not exist"
        case .unreadable(let reason): "cannot read \(what) `\(path)`: \(reason)"
        case .notUTF8: "\(what) `\(path)` is not UTF-8 text"
        case .directory: "\(what) `\(path)` is a folder, not a file"
        case .notRegular(let kind): "\(what) `\(path)` is \(kind), not a regular file"
        }
    }

    /// `path` as written in a file: absolute, or relative to the folder of `file`.
    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }
}

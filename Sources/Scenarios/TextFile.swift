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
    }

    /// The text of the file at `path`.
    static func read(_ path: String) throws(Failure) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .missing }
        guard !isDirectory.boolValue else { throw .directory }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable((error as NSError).localizedDescription)
        }
        guard let text = String(validating: data, as: UTF8.self) else { throw .notUTF8 }
        return text
    }

    /// A sentence about `what` (`the samples file`) at `path` failing this way.
    static func message(_ failure: Failure, what: String, path: String) -> String {
        switch failure {
        case .missing: "\(what) `\(path)` does not exist"
        case .unreadable(let reason): "cannot read \(what) `\(path)`: \(reason)"
        case .notUTF8: "\(what) `\(path)` is not UTF-8 text"
        case .directory: "\(what) `\(path)` is a folder, not a file"
        }
    }

    /// `path` as written in a file: absolute, or relative to the folder of `file`.
    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }
}

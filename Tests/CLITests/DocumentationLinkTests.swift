// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// What users read points only at what they have: the README, docs/, the scenarios and their
/// comments, the sources (help texts, the targets' READMEs) and the scripts name no file outside
/// the repository (the validation testbed's scripts too), and every relative Markdown link of their `.md` files leads to a file of it.
final class DocumentationLinkTests: XCTestCase {
    /// Paths that only exist beside the repository on the machine it was developed on.
    static let outside = ["../shared", "/work/"]

    func testUserFacingTextNamesNoFileOutsideTheRepository() throws {
        var problems: [String] = []
        for file in try Self.userFacingFiles() {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (index, line) in text.components(separatedBy: "\n").enumerated() {
                for path in Self.outside where line.contains(path) {
                    problems.append("\(Self.relative(file)):\(index + 1): \(path)")
                }
            }
        }
        XCTAssertEqual(problems, [])
    }

    func testRelativeMarkdownLinksLeadToFilesOfTheRepository() throws {
        var problems: [String] = []
        for file in try Self.userFacingFiles() where file.pathExtension == "md" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for target in Self.linkTargets(in: text) where !target.contains("://") && !target.hasPrefix("#") {
                let path = String(target.prefix { $0 != "#" })
                let resolved = file.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                if !FileManager.default.fileExists(atPath: resolved.path) {
                    problems.append("\(Self.relative(file)): (\(target))")
                }
            }
        }
        XCTAssertEqual(problems, [])
    }

    /// The link finder: inline links `[text](target)` only.
    func testTheLinkFinderReadsInlineLinks() {
        XCTAssertEqual(Self.linkTargets(in: "see [a](cli.md#x) and [b](../README.md), not (c) or [d]"),
                       ["cli.md#x", "../README.md"])
    }

    static func userFacingFiles() throws -> [URL] {
        let root = BinaryRunner.packageRoot
        let manager = FileManager.default
        var files = [root.appendingPathComponent("README.md")]
        // validation/ holds the testbed's scripts; its hidden .venv (installed packages) is skipped.
        for folder in ["docs", "scenarios", "Sources", "scripts", "validation"] {
            guard let walker = manager.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil,
                                                  options: [.skipsHiddenFiles]) else { continue }
            for case let file as URL in walker where ["md", "yaml", "swift", "sh", "py"].contains(file.pathExtension) {
                files.append(file)
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    static func linkTargets(in text: String) -> [String] {
        var targets: [String] = []
        var rest = Substring(text)
        while let marker = rest.range(of: "](") {
            let after = rest[marker.upperBound...]
            guard let close = after.firstIndex(of: ")") else { break }
            targets.append(String(after[..<close]))
            rest = after[close...]
        }
        return targets
    }

    static func relative(_ file: URL) -> String {
        String(file.path.dropFirst(BinaryRunner.packageRoot.path.count + 1))
    }
}

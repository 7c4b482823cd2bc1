// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
@testable import Scenarios

/// A seeded property test over the file system, not only syntax: every place a scenario names
/// a file (the scenario itself, `include:`, empirical samples, a prediction log, an arrival
/// trace) is given every kind of path — missing, a folder, a FIFO, a device, a symbolic link
/// loop, an empty file, binary bytes, a byte order mark, a foreign text file holding a secret,
/// a very long name. Each load must end (no trap, no hang on a FIFO) with diagnostics that
/// name the path, never the operating system's raw words, and never the foreign file's
/// contents.
final class FileSystemFuzzTests: XCTestCase {
    private struct Generator {
        var state: UInt64
        mutating func below(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static let secret = "s3cr3t-Hunter2"
    private var folder = ""
    private var paths: [(kind: String, path: String)] = []

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "hybridsim-fsfuzz-" + UUID().uuidString
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder + "/a-folder", withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(folder + "/a-fifo", 0o600), 0)
        try manager.createSymbolicLink(atPath: folder + "/loop-a", withDestinationPath: folder + "/loop-b")
        try manager.createSymbolicLink(atPath: folder + "/loop-b", withDestinationPath: folder + "/loop-a")
        manager.createFile(atPath: folder + "/empty", contents: Data())
        manager.createFile(atPath: folder + "/binary", contents: Data([0x00, 0xFF, 0xFE, 0x80, 0x0A, 0xC3]))
        manager.createFile(atPath: folder + "/bom-only", contents: Data([0xEF, 0xBB, 0xBF]))
        manager.createFile(atPath: folder + "/passwd", contents: Data("root:\(Self.secret):0:0:root:/root:/bin/bash\n".utf8))
        manager.createFile(atPath: folder + "/keys.yaml", contents: Data("password: \(Self.secret)\napi: \(Self.secret)\n".utf8))
        manager.createFile(atPath: folder + "/list.yaml", contents: Data("- \(Self.secret)\n".utf8))
        paths = [
            ("missing", folder + "/no-such-file"), ("folder", folder + "/a-folder"), ("fifo", folder + "/a-fifo"),
            ("device", "/dev/null"), ("zero", "/dev/zero"), ("loop", folder + "/loop-a"), ("empty", folder + "/empty"),
            ("binary", folder + "/binary"), ("bom", folder + "/bom-only"), ("passwd", folder + "/passwd"),
            ("keys", folder + "/keys.yaml"), ("list", folder + "/list.yaml"),
            ("long", folder + "/" + String(repeating: "n", count: 300)),
        ]
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The scenario text with the file at `site` replaced by `path`.
    private func scenario(site: Int, path: String) -> String {
        let base = """
            name: fs-fuzz
            run: {requests: 100}
            models:
              m: {serviceTime: 1ms}
            nodes:
              s: {kind: server}
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 10/s}}

            """
        switch site {
        case 0: return "include: ['\(path)']\n" + base
        case 1: return base.replacingOccurrences(of: "{serviceTime: 1ms}", with: "{serviceTime: {dist: empirical, file: '\(path)'}}")
        case 2: return base.replacingOccurrences(of: "{serviceTime: 1ms}", with: "{serviceTime: 1ms, accuracy: {log: '\(path)'}}")
        default: return base.replacingOccurrences(of: "{process: poisson, rate: 10/s}", with: "{process: trace, file: '\(path)'}")
        }
    }

    func testEveryKindOfPathAtEverySiteGivesALocatedHonestMessage() throws {
        var random = Generator(state: 18)
        var seen: Set<String> = []
        for round in 0..<160 {
            let (kind, path) = paths[random.below(paths.count)]
            let site = random.below(5)  // 4: the path is the scenario file itself
            seen.insert("\(kind)@\(site)")
            let file: String
            if site == 4 {
                file = path
            } else {
                file = folder + "/scenario-\(round).yaml"
                try scenario(site: site, path: path).write(toFile: file, atomically: false, encoding: .utf8)
            }
            let diagnostics: [Diagnostic]
            do {
                _ = try ScenarioLoader.load(path: file)
                diagnostics = []
            } catch {
                diagnostics = error.diagnostics
            }
            let text = diagnostics.map(\.rendered).joined(separator: "\n")
            let context = "round \(round): \(kind) at site \(site): \(text)"
            // An empty file (or only a byte order mark) is an empty part: including it is harmless.
            let harmless = site == 0 && (kind == "empty" || kind == "bom")
            XCTAssertEqual(diagnostics.isEmpty, harmless, "only an empty included part is usable: \(context)")
            XCTAssertFalse(text.contains(Self.secret), "a foreign file's contents leaked: \(context)")
            for raw in ["NSCocoaErrorDomain", "permission", "Error Domain", "The operation could not be completed"] {
                XCTAssertFalse(text.contains(raw), "raw system words: \(context)")
            }
            for diagnostic in diagnostics {
                XCTAssertGreaterThanOrEqual(diagnostic.location.line, 1, context)
                XCTAssertGreaterThanOrEqual(diagnostic.location.column, 1, context)
                XCTAssertFalse(diagnostic.rendered.contains("\n"), "one line per problem: \(context)")
            }
        }
        XCTAssertGreaterThan(seen.count, 40, "the seed covers most kind × site pairs")
    }
}

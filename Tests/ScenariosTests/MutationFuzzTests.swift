// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
@testable import Scenarios

/// SplitMix64: a tiny seeded generator, so that the fuzz cases are the same on every run.
private struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in 0..<n (n > 0); the modulo bias is irrelevant here.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Thousands of random byte, line and token mutations of the valid examples: each must either
/// load or fail with at least one diagnostic located inside the input. Never a crash.
final class MutationFuzzTests: XCTestCase {
    static let iterationsPerFile = 1200
    /// Every valid fixture is mutated, the new sections' fixtures included.
    static let files = ["valid/mmc-example.yaml", "valid/pipeline-3stage.yaml", "valid/empirical.yaml", "valid/everything.yaml",
                        "valid/distributed.yaml", "valid/cascade.yaml", "valid/collaborative-contract.yaml"]
    static let tokens = ["-3/s", "0/s", "1e999s", "~", "null", "[]", "{}", "99999999999999999999", "-1", "exponential",
                         "pipeline", "collaborative", "stages", "x", "", "2ms", "3.2", "&a", "*a", "!!int", "µs", "@",
                         "queue", "cascade", "distributed", "client", "broker", "0", "1.5", "$1/h", "40GiB", "p100", "edge-e",
                         "local-d", "catalog/hardware.yaml", "everything.yaml", "mmpp", "diurnal", "trace", "include",
                         "- ", ": ", "{", "}", "\"", "'", "|", ">", "%YAML 1.2", "---", "...", "? ", "#", "\t", "\r"]
    static let bytes: [UInt8] = Array(":{}[]-, \n#&*!'\"%|>\t?".utf8) + [0x00, 0x0D, 0xFF, 0xC3, 0xE2, 0x7F]

    func testMutatedExamplesNeverCrashAndAreLocated() throws {
        var rng = SplitMix64(state: 0x5EED_2024)
        var loaded = 0, rejected = 0
        for name in Self.files {
            let url = Fixtures.url(name)
            let original = Array(try Data(contentsOf: url))
            for _ in 0..<Self.iterationsPerFile {
                var bytes = original
                for _ in 0...rng.below(3) { mutate(&bytes, &rng) }
                do {
                    _ = try ScenarioLoader.load(data: Data(bytes), file: url.path, overrides: [])
                    loaded += 1
                } catch {
                    rejected += 1
                    check(error, input: bytes, file: url.path)
                }
            }
        }
        XCTAssertGreaterThan(rejected, 5000)
        XCTAssertGreaterThan(loaded, 10, "some mutations (comments, spacing) should still load")
    }

    private func check(_ error: ScenarioLoadError, input: [UInt8], file: String) {
        XCTAssertFalse(error.diagnostics.isEmpty)
        let text = String(decoding: input, as: UTF8.self)
        let source = SourceText(file: file, text: text)
        let newlines = input.filter { $0 == 0x0A || $0 == 0x0D }.count
        for d in error.diagnostics where d.location.file == file {
            let inside = source.location(line: d.location.line, column: d.location.column)
            XCTAssertEqual(inside, d.location, "outside the input: \(d.rendered)\n---\n\(text)")
            XCTAssertLessThanOrEqual(d.location.line, newlines + 1)
        }
        // Diagnostics in the files a fixture reads (CSVs, included files), which are not mutated,
        // are located inside those files.
        for d in error.diagnostics where d.location.file != file {
            XCTAssertTrue(d.location.file.hasSuffix(".csv") || d.location.file.hasSuffix(".yaml"), "unexpected file in \(d.rendered)")
            guard let other = try? String(contentsOfFile: d.location.file, encoding: .utf8) else {
                XCTFail("diagnostic in a file that cannot be read: \(d.rendered)")
                continue
            }
            let source = SourceText(file: d.location.file, text: other)
            XCTAssertEqual(source.location(line: d.location.line, column: d.location.column), d.location, "outside its file: \(d.rendered)")
        }
    }

    private func mutate(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        switch rng.below(8) {
        case 0 where !bytes.isEmpty:
            bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
        case 1 where !bytes.isEmpty:
            bytes.remove(at: rng.below(bytes.count))
        case 2:
            bytes.insert(Self.bytes[rng.below(Self.bytes.count)], at: rng.below(bytes.count + 1))
        case 3 where lines.count > 1:
            lines.remove(at: rng.below(lines.count))
            bytes = Array(lines.joined(separator: [0x0A]))
        case 4 where !lines.isEmpty:
            let i = rng.below(lines.count)
            lines.insert(lines[i], at: rng.below(lines.count + 1))
            bytes = Array(lines.joined(separator: [0x0A]))
        case 5 where lines.count > 1:
            lines.swapAt(rng.below(lines.count), rng.below(lines.count))
            bytes = Array(lines.joined(separator: [0x0A]))
        default:
            // Replace one word (a run of letters, digits and `./_-$`) with a token.
            let isWord: (UInt8) -> Bool = { b in
                (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || Array("./_-$".utf8).contains(b)
            }
            guard !bytes.isEmpty else { return }
            var start = rng.below(bytes.count)
            while start > 0, isWord(bytes[start - 1]) { start -= 1 }
            var end = start
            while end < bytes.count, isWord(bytes[end]) { end += 1 }
            bytes.replaceSubrange(start..<end, with: Array(Self.tokens[rng.below(Self.tokens.count)].utf8))
        }
    }
}

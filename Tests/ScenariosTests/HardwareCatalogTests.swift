// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
@testable import Scenarios

/// `scenarios/catalog/hardware.yaml` and `models.yaml` (docs/cost-models.md, "The hardware
/// catalog"): the devices and instance types people deploy are there, every figure says where
/// it comes from, and every catalog model loads on every catalog hardware in every power mode.
final class HardwareCatalogTests: XCTestCase {
    static let catalog = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scenarios/catalog")

    /// What the catalog promises to cover: the data-centre GPUs, the Jetson modules, a CPU-only
    /// server and the matching AWS instance types.
    static let required = ["t4", "l4", "a100-40g", "a100-80g", "h100-pcie", "h100-sxm",
                           "orin-nano-8", "orin-nx-16", "orin-agx-64", "epyc-16",
                           "g4dn-xlarge", "g6-xlarge", "g5-xlarge", "p4d-24xlarge", "p5-48xlarge"]

    /// The keys of a hardware entry that hold a figure (`kind` is a category, not a figure).
    static let figureKeys = ["memory", "idlePower", "busyPower", "price", "workers", "cap", "speed"]

    func testTheCatalogHoldsEveryRequiredDeviceAndInstanceType() throws {
        let config = try ScenarioLoader.load(yaml: scenario(hardware: "a100-40g", model: "resnet50"), file: "catalog-check.yaml")
        let names = Set(config.hardware.map(\.name))
        XCTAssertEqual(Self.required.filter { !names.contains($0) }, [], "missing from scenarios/catalog/hardware.yaml")
        for hardware in config.hardware {
            XCTAssertNotNil(hardware.memoryBytes, "\(hardware.name): memory")
            XCTAssertGreaterThan(hardware.busyPowerWatts, 0, "\(hardware.name): busyPower")
            XCTAssertNotNil(hardware.pricePerHour, "\(hardware.name): price")
        }
    }

    func testEveryFigureOfTheCatalogNamesItsSourceOrSaysEstimate() throws {
        let text = try String(contentsOf: Self.catalog.appendingPathComponent("hardware.yaml"), encoding: .utf8)
        XCTAssertEqual(CatalogCitations.problems(in: text), [])
    }

    /// The checker itself: a figure without a comment, a comment without a marker, a source key
    /// that the list does not define and a power-mode line that accounts for only one of its two
    /// figures are each reported.
    func testTheCitationCheckRejectsUnsourcedFigures() {
        let text = """
            # Sources:
            #   [vendor]  Vendor datasheet.
            hardware:
              x:
                kind: gpu
                memory: 16GB        # [vendor]
                idlePower: 10W
                busyPower: 70W      # from somewhere
                price: $1/h         # [nowhere]
                workers: 1          # deployment choice: one per card
                powerModes:
                  low: {cap: 7W, speed: 0.5}    # cap [vendor]
                  high: {cap: 9W, speed: 1.0}   # cap [vendor]; speed 1 by definition (the full mode)
            """
        XCTAssertEqual(CatalogCitations.problems(in: text), [
            "line 7: `idlePower` has no comment naming its source or saying `estimate`",
            "line 8: `busyPower`: the comment names no [source] and says no `estimate`",
            "line 9: `price`: [nowhere] is not in the Sources list",
            "line 12: `low` holds 2 figures but its comment accounts for 1 (one `;`-separated part per figure)",
        ])
    }

    func testEveryCatalogModelLoadsOnEveryCatalogHardwareInEveryPowerMode() throws {
        let config = try ScenarioLoader.load(yaml: scenario(hardware: "a100-40g", model: "resnet50"), file: "catalog-check.yaml")
        XCTAssertFalse(config.models.isEmpty)
        for model in config.models {
            let named = Set(model.serviceTimeOn.map(\.hardware))
            XCTAssertEqual(config.hardware.map(\.name).filter { !named.contains($0) }, [],
                           "\(model.name) has no serviceTimeOn entry for these catalog hardware")
        }
        for hardware in config.hardware {
            for model in config.models {
                for mode in [nil] + hardware.powerModes.map(\.name) {
                    let yaml = scenario(hardware: hardware.name, model: model.name, powerMode: mode)
                    XCTAssertEqual(renderedProblems(yaml, file: "catalog-check.yaml"), [],
                                   "\(model.name) on \(hardware.name) \(mode ?? "")")
                }
            }
        }
    }

    /// One model on one node of the given catalog hardware.
    private func scenario(hardware: String, model: String, powerMode: String? = nil) -> String {
        let mode = powerMode.map { ", powerMode: \($0)" } ?? ""
        return """
            name: catalog-check
            run: {requests: 100}
            include: [\(Self.catalog.path)/hardware.yaml, \(Self.catalog.path)/models.yaml]
            nodes:
              n: {kind: server, hardware: \(hardware)\(mode)}
            deployment: {kind: single, model: \(model), on: n}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 1/s}}
            """
    }
}

/// The citation rule of the hardware catalog, checked on its text: every line that holds a
/// figure ends with a comment that names a source `[key]` defined in the header's list, or says
/// `estimate`, `deployment choice` or `by definition`; a line with several figures (a power
/// mode's `cap` and `speed`) has one `;`-separated comment part per figure.
enum CatalogCitations {
    static func problems(in text: String) -> [String] {
        let lines = text.components(separatedBy: "\n")
        let defined = Set(lines.filter { $0.hasPrefix("#") }.compactMap { line -> String? in
            let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
            guard body.hasPrefix("["), let close = body.firstIndex(of: "]") else { return nil }
            return String(body[body.index(after: body.startIndex)..<close])
        })
        var problems: [String] = []
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            let parts = line.split(separator: "#", maxSplits: 1).map(String.init)
            let code = parts.first ?? ""
            let figures = HardwareCatalogTests.figureKeys.filter { code.contains("\($0):") }
            guard !figures.isEmpty else { continue }
            let key = code.trimmingCharacters(in: .whitespaces).split(separator: ":").first.map(String.init) ?? ""
            let label = "line \(index + 1): `\(key)`"
            guard parts.count == 2 else {
                problems.append("\(label) has no comment naming its source or saying `estimate`")
                continue
            }
            let comment = parts[1]
            let pieces = comment.split(separator: ";").map(String.init)
            if pieces.count < figures.count {
                problems.append("\(label) holds \(figures.count) figures but its comment accounts for \(pieces.count) "
                                + "(one `;`-separated part per figure)")
                continue
            }
            for piece in pieces {
                let keys = sourceKeys(in: piece)
                if let unknown = keys.first(where: { !defined.contains($0) }) {
                    problems.append("\(label): [\(unknown)] is not in the Sources list")
                } else if keys.isEmpty && !["estimate", "deployment choice", "by definition"].contains(where: piece.contains) {
                    problems.append("\(label): the comment names no [source] and says no `estimate`")
                }
            }
        }
        return problems
    }

    private static func sourceKeys(in text: String) -> [String] {
        var keys: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
            keys.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return keys
    }
}

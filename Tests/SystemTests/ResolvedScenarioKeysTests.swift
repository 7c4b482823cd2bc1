// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import NumericCore
import Reporting
import ScenarioModel
@testable import Scenarios
import XCTest

/// The resolved scenario is written by the typed scenario's `Encodable` conformances (explicit
/// `CodingKeys`). These tests hold them to every stored property, by an independent reading
/// of the values: `Mirror` reflection in the format the file had before (`ReflectedJSON`).
/// A property added to a `*Spec` type without its coding key fails here.
final class ResolvedScenarioKeysTests: XCTestCase {
    /// Every valid scenario fixture of the loader's tests (they use every section and every
    /// case of the deployment, arrival and distribution enums between them) and every shipped
    /// scenario: the encoder's document equals the reflected one.
    func testTheEncoderWritesEveryStoredPropertyAsReflectionReadsIt() throws {
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: "Tests/ScenariosTests/Fixtures/valid")
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "Tests/ScenariosTests/Fixtures/valid/" + $0 }
        let files = fixtures + (try ResolvedScenarioGoldenTests.shippedScenarios())
        XCTAssertGreaterThanOrEqual(fixtures.count, 10, "the fixtures were not found (run from the package root)")
        for file in files {
            let config = try ScenarioLoader.load(path: file)
            XCTAssertEqual(try ResultsFolder.resolvedScenarioText(config), ReflectedJSON.of(config).rendered(), file)
        }
    }

    /// Cases the files above do not use, built in code.
    func testEnumCasesWithoutAFixtureEncodeAsReflectionReadsThem() throws {
        let arrivals: [ArrivalProcess] = [
            .poisson(rate: 2), .mmpp(states: [MMPPState(rate: 1, meanDuration: 3)]),
            .diurnal(points: [RatePoint(time: 0, rate: 1)], period: 86_400), .trace(timestamps: [0.5, 1]),
            .streams(count: 2, interval: 0.1),
        ]
        for process in arrivals {
            XCTAssertEqual(try JSONValueEncoder.encode(process, optionals: .null).rendered(),
                           ReflectedJSON.of(process).rendered(), "\(process)")
        }
        let statistics: [LatencyStatistic] = [.mean, .max, .percentile(99.9)]
        for statistic in statistics {
            XCTAssertEqual(try JSONValueEncoder.encode(statistic, optionals: .null).rendered(),
                           ReflectedJSON.of(statistic).rendered(), "\(statistic)")
        }
        let distributions: [Distribution] = [
            .deterministic(value: 1), .exponential(mean: 2), .lognormal(mean: 1, cv: 0.5), .gamma(mean: 1, cv: 2),
            .normal(mean: 1, sd: 0.1), .uniform(min: 0, max: 1), .weibull(shape: 2, scale: 1), .pareto(shape: 3, scale: 1),
            .empirical(samples: [1, 2.5]),
        ]
        for distribution in distributions {
            XCTAssertEqual(try JSONValueEncoder.encode(distribution, optionals: .null).rendered(),
                           ReflectedJSON.of(distribution).rendered(), "\(distribution)")
        }
    }

    /// Where the resolved file uses the scenario file's own key names, its keys are exactly the
    /// decoder's key list (the others name SI quantities, e.g. `bandwidthBitsPerSecond` for
    /// `bandwidth`, and are held by the reflection test above).
    func testKeysThatMirrorTheScenarioFileAreTheDecodersKeys() throws {
        let d = ScenarioDecoder.self
        let cases: [(String, any Encodable, [String])] = [
            ("autoscaling", AutoscalingSpec(max: 2), d.autoscalingKeys),
            ("fusion", FusionSpec(method: .mean, work: .deterministic(value: 0.001), readWork: .deterministic(value: 0.0001)),
             d.fusionKeys),
            ("mmpp state", MMPPState(rate: 1, meanDuration: 2), d.mmppStateKeys),
            ("link failures", LinkFailureProcess(upTime: .exponential(mean: 1), downTime: .exponential(mean: 1)), d.failureKeys),
            ("route", RouteSpec(from: "a", to: "b", via: []), d.routeKeys),
            ("check tolerance", MetricTolerance(metric: "m"), ["metric"] + d.toleranceKeys),
        ]
        for (name, value, keys) in cases {
            guard case .object(let members) = try JSONValueEncoder.encode(value, optionals: .null) else {
                XCTFail("\(name): not an object"); continue
            }
            XCTAssertEqual(members.map(\.0), keys, name)
        }
    }
}

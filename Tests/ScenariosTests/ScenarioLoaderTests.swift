// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import XCTest
@testable import Scenarios

final class ScenarioLoaderTests: XCTestCase {
    func testContractMMCExampleLoadsAsWritten() throws {
        let config = try ScenarioLoader.load(path: Fixtures.url("valid/mmc-example.yaml").path)
        XCTAssertEqual(config, ScenarioConfig(
            name: "mmc-example", seed: 7,
            run: RunSettings(requests: 200_000, warmupRequests: 20_000, replications: 5),
            models: [ModelSpec(name: "m", serviceTime: .exponential(mean: 1))],
            nodes: [NodeSpec(name: "s", kind: .server, workers: 4)],
            deployment: .single(Placement(model: "m", node: "s")),
            workloads: [WorkloadSpec(kind: .image, arrivals: .poisson(rate: 3.2))]))
    }

    func testThreeStagePipelineKeepsFileOrder() throws {
        let config = try ScenarioLoader.load(path: Fixtures.url("valid/pipeline-3stage.yaml").path)
        XCTAssertEqual(config.seed, 42)
        XCTAssertEqual(config.run, RunSettings(duration: 600, warmupDuration: 30, replications: 3))
        XCTAssertEqual(config.models.map(\.name), ["decode", "detect", "classify"])
        XCTAssertEqual(config.models[0].serviceTime, .deterministic(value: 0.004))
        XCTAssertEqual(config.models[1].serviceTime, .lognormal(mean: 0.025, cv: 0.6))
        XCTAssertEqual(config.models[2].serviceTime, .gamma(mean: 0.012, cv: 0.5))
        XCTAssertEqual(config.nodes, [NodeSpec(name: "edge-e", kind: .edge, workers: 1),
                                      NodeSpec(name: "local-c", kind: .server, workers: 2),
                                      NodeSpec(name: "cloud-b", kind: .cloud, workers: 8)])
        XCTAssertEqual(config.deployment, .pipeline([Placement(model: "decode", node: "edge-e"),
                                                     Placement(model: "detect", node: "local-c"),
                                                     Placement(model: "classify", node: "cloud-b")]))
        XCTAssertEqual(config.workloads, [WorkloadSpec(kind: .video, arrivals: .poisson(rate: 20)),
                                          WorkloadSpec(kind: .image, arrivals: .poisson(rate: 5))])
    }

    func testEmpiricalSamplesAreReadRelativeToTheScenario() throws {
        let config = try ScenarioLoader.load(path: Fixtures.url("valid/empirical.yaml").path)
        guard case .empirical(let samples) = config.models[0].serviceTime else {
            return XCTFail("expected empirical, got \(config.models[0].serviceTime)")
        }
        let expected = [0.0125, 0.014, 0.00975, 0.020, 0.011]
        XCTAssertEqual(samples.count, expected.count)
        for (a, b) in zip(samples, expected) { XCTAssertEqual(a, b, accuracy: 1e-15) }
        XCTAssertEqual(config.run.requests, 1000)
        XCTAssertEqual(config.seed, 1, "seed defaults to 1")
    }

    func testEveryDistributionForm() throws {
        let cases: [(String, Distribution)] = [
            ("{dist: deterministic, value: 2ms}", .deterministic(value: 0.002)),
            ("2ms", .deterministic(value: 0.002)),
            ("{dist: exponential, mean: 1s}", .exponential(mean: 1)),
            ("{dist: lognormal, mean: 10ms, cv: 0.5}", .lognormal(mean: 0.01, cv: 0.5)),
            ("{dist: gamma, mean: 10ms, cv: 2}", .gamma(mean: 0.01, cv: 2)),
            ("{dist: normal, mean: 10ms, sd: 1ms}", .normal(mean: 0.01, sd: 0.001)),
            ("{dist: uniform, min: 1ms, max: 3ms}", .uniform(min: 0.001, max: 0.003)),
            ("{dist: weibull, shape: 1.5, scale: 20ms}", .weibull(shape: 1.5, scale: 0.02)),
            ("{dist: pareto, shape: 2.5, scale: 1ms}", .pareto(shape: 2.5, scale: 0.001)),
        ]
        for (yaml, expected) in cases {
            let text = mmcExample(replacing: "{dist: exponential, mean: 1s}", with: yaml)
            XCTAssertEqual(try ScenarioLoader.load(yaml: text, file: "t.yaml").models[0].serviceTime, expected, yaml)
        }
    }

    func testOverridesGoThroughTheSameChecks() throws {
        let config = try ScenarioLoader.load(
            yaml: mmcExample(), file: "mmc.yaml",
            overrides: ["workload.0.arrivals.rate=250/s", "run={requests: 1000}", "nodes.s.workers=8",
                        ScenarioLoader.seedOverride(99), "models.m.serviceTime={dist: gamma, mean: 2ms, cv: 0.5}"])
        XCTAssertEqual(config.workloads[0].arrivals, .poisson(rate: 250))
        XCTAssertEqual(config.run, RunSettings(requests: 1000))
        XCTAssertEqual(config.nodes[0].workers, 8)
        XCTAssertEqual(config.seed, 99)
        XCTAssertEqual(config.models[0].serviceTime, .gamma(mean: 0.002, cv: 0.5))

        let added = try ScenarioLoader.load(yaml: mmcExample(), file: "mmc.yaml", overrides: ["run={requests: 10}", "run.warmup=5s"])
        XCTAssertEqual(added.run, RunSettings(requests: 10, warmupDuration: 5))
        XCTAssertNil(try? ScenarioLoader.load(yaml: mmcExample(), file: "mmc.yaml", overrides: ["run.warmup=5s"]),
                     "warmup and warmupRequests together are rejected")
    }

    func testOverrideProblemsPointAtTheArgument() {
        let rendered = renderedProblems(mmcExample(), file: "mmc.yaml",
                                        overrides: ["workload.0.arrivals.rate=-3/s", "nodes.s.wokers=2", "workload.x=1"])
        XCTAssertEqual(rendered, [
            "--set:1:26: error: workload.0.arrivals.rate: `-3/s` must be greater than 0: a rate counts events per unit of time; hint: write a positive rate such as `3.2/s`, `1200/min`",
            "--set:2:9: error: nodes.s.wokers: unknown key `wokers` (did you mean `workers`?); hint: valid keys here: kind, hardware, powerMode, workers, memory, price, instances, serviceTime, autoscaling, persistence, ackLoss, redeliveryAfter, onMemoryFull, coldStart, spot, count, concurrency, wakeUp, host, slowPeriods",
            "--set:3:10: error: workload.x: `x` is not an index of the list `workload`: indices are 0 to 0",
        ])
    }

    func testUnreadableFileIsReportedAtItsFirstLine() {
        do {
            _ = try ScenarioLoader.load(path: "/nonexistent/dir/scenario.yaml")
            XCTFail("expected failure")
        } catch {
            XCTAssertEqual(error.diagnostics.count, 1)
            XCTAssertEqual(error.diagnostics[0].location, SourceLocation(file: "/nonexistent/dir/scenario.yaml", line: 1, column: 1))
            XCTAssertTrue(error.diagnostics[0].rendered.hasPrefix("/nonexistent/dir/scenario.yaml:1:1: error: cannot read the scenario file"))
        }
    }

    func testEmptyAndNonUTF8Files() throws {
        XCTAssertEqual(renderedProblems("", file: "e.yaml"),
                       ["e.yaml:1:1: error: the scenario is empty; hint: a scenario needs `name`, `run`, `models`, `nodes`, `deployment` and `workload`"])
        XCTAssertEqual(renderedProblems("# only a comment\n", file: "e.yaml").count, 1)
        var bytes = Array("name: x\nrun: {requests: 1}\n".utf8)
        bytes.insert(0xFF, at: 14)
        do {
            _ = try ScenarioLoader.load(data: Data(bytes), file: "b.yaml", overrides: [])
            XCTFail("expected failure")
        } catch {
            XCTAssertEqual(error.diagnostics.map(\.rendered),
                           ["b.yaml:2:7: error: the file is not valid UTF-8 text (byte 0xFF); hint: save the scenario as UTF-8"])
        }
    }

    func testTopLevelMustBeAMapping() {
        XCTAssertEqual(renderedProblems("- a\n- b\n", file: "l.yaml").count, 1)
        XCTAssertEqual(renderedProblems("just a string", file: "l.yaml").count, 1)
    }

    func testDiagnosticRendering() {
        let location = SourceLocation(file: "a.yaml", line: 3, column: 7)
        XCTAssertEqual(Diagnostic(location: location, keyPath: "run.requests", message: "is bad", hint: "fix it").rendered,
                       "a.yaml:3:7: error: run.requests: is bad; hint: fix it")
        XCTAssertEqual(Diagnostic(location: location, keyPath: "", message: "YAML syntax error: x").rendered,
                       "a.yaml:3:7: error: YAML syntax error: x")
        let error = ScenarioLoadError(diagnostics: [
            Diagnostic(location: SourceLocation(file: "b.yaml", line: 1, column: 1), keyPath: "", message: "b"),
            Diagnostic(location: SourceLocation(file: "a.yaml", line: 9, column: 1), keyPath: "", message: "a9"),
            Diagnostic(location: SourceLocation(file: "a.yaml", line: 2, column: 5), keyPath: "", message: "a2"),
        ])
        XCTAssertEqual(error.diagnostics.map(\.message), ["a2", "a9", "b"])
        XCTAssertEqual(ScenarioLoadError(diagnostics: []).diagnostics.count, 1, "never empty")
    }
}

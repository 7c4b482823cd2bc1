// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim
import Results
import ScenarioModel
import Scenarios

/// `hybridsim-bench SCENARIO`: runs a reference scenario of shared/bench/SCENARIOS.md from its
/// file in scenarios/bench/, through the same loader and simulation as `hybridsim run`,
/// checks the result against the analytic values, and prints one `RESULT {json}` line
/// (the protocol of shared/bench). Sizes come from the environment: N, WARMUP, SEED.
///
/// `hybridsim-bench FILE.yaml` runs any scenario file the same way (one replication of N
/// requests after WARMUP, defaults 100,000 and 10,000), checked for conservation and Little's
/// law, with the engine's own event count as `model_events`.
///
/// `hybridsim-bench engine-floor` runs S1 hand-written on the engine (`EngineFloor`): the
/// floor under `mmc`'s loop time.
///
/// `hybridsim-bench csv-load` times the loading of a large prediction log and empirical
/// samples file (`CSVLoadBench`).
///
/// Exit codes: 0 ok, 1 the result failed its own check, 2 bad arguments or scenario.
@main
enum BenchMain {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.last == "engine-floor" { return runEngineFloor() }
        if arguments.last == "csv-load" { return CSVLoadBench.run() }
        guard let name = arguments.last,
              let scenario = ReferenceScenario.all.first(where: { $0.name == name }) ?? ReferenceScenario.file(name) else {
            fail(2, "usage: hybridsim-bench [--scenarios DIR] SCENARIO | FILE.yaml | engine-floor | csv-load   (SCENARIO: "
                 + ReferenceScenario.all.map(\.name).joined(separator: " | ") + ")\n"
                 + "environment: N (measured requests), WARMUP (discarded completions), SEED")
        }
        var directory = defaultScenarioDirectory()
        if let flag = arguments.firstIndex(of: "--scenarios"), flag + 1 < arguments.count {
            directory = arguments[flag + 1]
        }
        let environment = ProcessInfo.processInfo.environment
        let requests = Int(environment["N"] ?? "") ?? scenario.defaultRequests
        let warmup = Int(environment["WARMUP"] ?? "") ?? scenario.defaultWarmup
        let seed = UInt64(environment["SEED"] ?? "") ?? 12345
        let path = scenario.isReference ? directory + "/" + scenario.file : scenario.file

        let config: ScenarioConfig
        do {
            config = try ScenarioLoader.load(path: path, overrides: [
                "run={requests: \(requests), warmupRequests: \(warmup), replications: 1}", "seed=\(seed)",
            ])
        } catch {
            fail(2, error.diagnostics.map(\.rendered).joined(separator: "\n"))
        }

        let clock = ContinuousClock()
        let result: ReplicationResult
        let loopSeconds: Double
        do {
            let simulation = try Simulation(config: config, replication: 0,
                                            options: MeasurementOptions(batches: 50, batchHistograms: true))
            let started = clock.now
            result = simulation.run()
            loopSeconds = seconds(clock.now - started)
        } catch {
            fail(1, "\(path): \(error)")
        }

        let outputs: [ReferenceScenario.Output]
        do { outputs = try scenario.outputs(of: result) } catch { fail(1, "analytic values: \(error)") }
        if let problem = (SelfCheck.problems(result: result, outputs: outputs, expectedRequests: requests)
                          + SelfCheck.groupProblems(result: result, config: config)).first {
            fail(1, "self-check failed, no time reported: \(problem)")
        }

        // Scenario files outside the reference set have no agreed event count: report the engine's.
        let modelEvents = scenario.isReference ? scenario.eventsPerRequest * (requests + warmup) : Int(result.events)
        var json: [(String, String)] = [
            ("impl", quoted("hybridsim")),
            ("scenario", quoted(scenario.name)),
            ("n", String(requests)),
            ("warmup", String(warmup)),
            ("seed", String(seed)),
            ("sim_seconds", number(loopSeconds)),
            ("model_events", String(modelEvents)),
            ("model_events_per_s", number(Double(modelEvents) / loopSeconds)),
            ("lib_events", String(result.events)),
            ("lib_events_per_s", number(Double(result.events) / loopSeconds)),
            ("sim_end_time", number(result.measurementStart + result.measuredSeconds)),
        ]
        let outputFields = outputs.map { output in
            "\(quoted(output.name)): {\"est\": \(number(output.estimate)), \"se\": "
                + (output.standardError.map(number) ?? "null") + "}"
        }
        json.append(("outputs", "{" + outputFields.joined(separator: ", ") + "}"))
        json.append(("peak_rss_kib", PeakMemory.residentKiB().map(String.init) ?? "null"))
        json.append(("peak_in_flight", String(result.peakInFlight)))
        json.append(("notes", quoted("scenario file \(scenario.file) via ScenarioLoader + Simulation; "
                                     + "se = batch means over \(result.batches.count) batches")))
        print("RESULT {" + json.map { "\(quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}")
    }

    /// `hybridsim-bench engine-floor` (see `EngineFloor`), sized like `mmc`.
    static func runEngineFloor() {
        let environment = ProcessInfo.processInfo.environment
        let requests = Int(environment["N"] ?? "") ?? 1_000_000
        let warmup = Int(environment["WARMUP"] ?? "") ?? 10_000
        let seed = UInt64(environment["SEED"] ?? "") ?? 12345
        let run: EngineFloor.Outcome
        do { run = try EngineFloor.run(requests: requests, warmup: warmup, seed: seed) } catch { fail(2, "\(error)") }
        if let problem = run.problem { fail(1, "self-check failed, no time reported: \(problem)") }
        let modelEvents = 2 * (requests + warmup)
        let json: [(String, String)] = [
            ("impl", quoted("hybridsim-engine-floor")), ("scenario", quoted("mmc")), ("n", String(requests)),
            ("warmup", String(warmup)), ("seed", String(seed)), ("sim_seconds", number(run.loopSeconds)),
            ("model_events", String(modelEvents)), ("model_events_per_s", number(Double(modelEvents) / run.loopSeconds)),
            ("lib_events", String(run.events)), ("lib_events_per_s", number(Double(run.events) / run.loopSeconds)),
            ("sim_end_time", number(run.endTime)),
            ("outputs", "{\"resp_mean\": {\"est\": \(number(run.meanResponse)), \"se\": null}}"),
            ("peak_rss_kib", PeakMemory.residentKiB().map(String.init) ?? "null"),
            ("notes", quoted("S1 hand-written on Engine + RandomStream + Sampler: the floor under hybridsim's mmc")),
        ]
        print("RESULT {" + json.map { "\(quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}")
    }

    static func defaultScenarioDirectory() -> String {
        let fromWorkingDirectory = FileManager.default.currentDirectoryPath + "/scenarios/bench"
        if FileManager.default.fileExists(atPath: fromWorkingDirectory) { return fromWorkingDirectory }
        // The package's own copy, wherever the benchmark is run from.
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scenarios/bench").path
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    static func fail(_ code: Int32, _ message: String) -> Never {
        FileHandle.standardError.write(Data(("hybridsim-bench: " + message + "\n").utf8))
        exit(code)
    }
}

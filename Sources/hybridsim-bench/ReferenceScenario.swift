// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim
import NumericCore
import Results

/// One reference scenario of shared/bench/SCENARIOS.md: its file, the model event count the
/// protocol credits per request, its outputs and the analytic values its own result is
/// checked against before any time is reported.
struct ReferenceScenario {
    var name: String
    var file: String
    /// Events per request of a plain event-scheduling implementation (SCENARIOS.md).
    var eventsPerRequest: Int
    /// Default N and WARMUP of the protocol.
    var defaultRequests: Int
    var defaultWarmup: Int

    static let all: [ReferenceScenario] = [
        ReferenceScenario(name: "mmc", file: "mmc.yaml", eventsPerRequest: 2,
                          defaultRequests: 1_000_000, defaultWarmup: 10_000),
        ReferenceScenario(name: "tandem10", file: "tandem10.yaml", eventsPerRequest: 11,
                          defaultRequests: 200_000, defaultWarmup: 10_000),
        ReferenceScenario(name: "forkjoin3", file: "forkjoin3.yaml", eventsPerRequest: 10,
                          defaultRequests: 500_000, defaultWarmup: 10_000),
        ReferenceScenario(name: "forkjoin3d", file: "forkjoin3d.yaml", eventsPerRequest: 11,
                          defaultRequests: 500_000, defaultWarmup: 10_000),
    ]

    /// Whether this is one of shared/bench's reference scenarios, named as such (a scenario
    /// file given by path is run as a file, with no analytic values, whatever its name).
    var isReference: Bool { Self.all.contains { $0.name == name && $0.file == file } }

    /// Any scenario file, run with the reference protocol but without analytic values.
    static func file(_ path: String) -> ReferenceScenario? {
        guard path.hasSuffix(".yaml") || path.hasSuffix(".yml") else { return nil }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return ReferenceScenario(name: name, file: path, eventsPerRequest: 0, defaultRequests: 100_000,
                                 defaultWarmup: 10_000)
    }

    /// Fork-join has no closed form: the self-check compares with the mean of 20 replications
    /// of the C++ reference engine at N = 500,000 (shared/bench/RESULTS.md).
    static let forkJoinReference = (e2eMean: 0.20062, e2eP50: 0.18705, e2eP99: 0.4189, fractionInTime: 0.22777,
                                    repliesInTime: 2.1831)

    /// A named output: estimate, batch-means standard error, and the analytic value if any.
    struct Output {
        var name: String
        var estimate: Double
        var standardError: Double?
        var analytic: Double?
        /// Smallest relative deviation from `analytic` that the self-check treats as an error.
        var relativeFloor = 0.10
    }

    /// The protocol's outputs from one replication measured in batches.
    func outputs(of result: ReplicationResult) throws -> [Output] {
        let batches = result.batches
        func batchSE(_ value: (MeasurementBatch) -> Double) -> Double? {
            var spread = Welford()
            for batch in batches where batch.count > 0 { spread.add(value(batch)) }
            return spread.count >= 2 ? spread.standardDeviation / Double(spread.count).squareRoot() : nil
        }
        func quantileOutput(_ name: String, _ p: Double, analytic: Double?) -> Output {
            Output(name: name, estimate: Double(result.latencyHistogram.quantile(p)) / 1e9,
                   standardError: batchSE { Double($0.latencyHistogram?.quantile(p) ?? 0) / 1e9 },
                   analytic: analytic, relativeFloor: p > 0.9 ? 0.25 : 0.10)
        }
        switch isReference ? name : "" {
        case "mmc":
            let mmc = try Queueing.mmc(arrivalRate: 3.2, serviceRate: 1.0, servers: 4)
            return [
                Output(name: "wq_mean", estimate: result.wait.mean, standardError: batchSE(\.waitMean),
                       analytic: mmc.meanWait),
                Output(name: "p_wait", estimate: Double(result.waitedCount) / Double(result.completed),
                       standardError: batchSE(\.waitedFraction),
                       analytic: mmc.probabilityOfWait),
                Output(name: "resp_mean", estimate: result.latency.mean, standardError: batchSE(\.latencyMean),
                       analytic: mmc.meanResponse),
                quantileOutput("resp_p50", 0.5, analytic: try mmc.responseTimeQuantile(0.5)),
                quantileOutput("resp_p99", 0.99, analytic: try mmc.responseTimeQuantile(0.99)),
            ]
        case "tandem10":
            let rate = 1.0 - 0.9
            return [
                Output(name: "soj_mean", estimate: result.latency.mean, standardError: batchSE(\.latencyMean),
                       analytic: 10 / rate),
                quantileOutput("soj_p50", 0.5, analytic: try Queueing.erlangQuantile(stages: 10, rate: rate, p: 0.5)),
                quantileOutput("soj_p99", 0.99, analytic: try Queueing.erlangQuantile(stages: 10, rate: rate, p: 0.99)),
            ]
        case "forkjoin3":
            let reference = Self.forkJoinReference
            let deadline: Int64 = 150_000_000
            return [
                Output(name: "e2e_mean", estimate: result.latency.mean, standardError: batchSE(\.latencyMean),
                       analytic: reference.e2eMean),
                quantileOutput("e2e_p50", 0.5, analytic: reference.e2eP50),
                quantileOutput("e2e_p99", 0.99, analytic: reference.e2eP99),
                Output(name: "frac_le_deadline", estimate: result.latencyHistogram.fraction(atOrBelow: deadline),
                       standardError: batchSE { $0.latencyHistogram?.fraction(atOrBelow: deadline) ?? 0 },
                       analytic: reference.fractionInTime),
            ]
        case "forkjoin3d":
            let reference = Self.forkJoinReference
            let joined = result.answersJoined
            let total = Double(joined.reduce(0, +))
            let repliesMean = joined.indices.reduce(0.0) { $0 + Double($1 * joined[$1]) } / total
            // Per-batch counts of replies are not kept, so these fractions carry no batch error.
            var outputs = [
                Output(name: "frac_complete", estimate: Double(joined[3]) / total, standardError: nil,
                       analytic: reference.fractionInTime),
                Output(name: "replies_in_time_mean", estimate: repliesMean, standardError: nil,
                       analytic: reference.repliesInTime),
                Output(name: "lat_mean", estimate: result.latency.mean, standardError: batchSE(\.latencyMean),
                       analytic: nil),
                quantileOutput("lat_p50", 0.5, analytic: 0.150),
                quantileOutput("lat_p99", 0.99, analytic: 0.150),
            ]
            for k in 0...3 {
                outputs.append(Output(name: "frac_\(k)_replies", estimate: Double(joined[k]) / total,
                                      standardError: nil, analytic: nil))
            }
            return outputs
        default:
            var outputs = [
                Output(name: "latency_mean", estimate: result.latency.mean, standardError: batchSE(\.latencyMean),
                       analytic: nil),
                quantileOutput("latency_p50", 0.5, analytic: nil),
                quantileOutput("latency_p99", 0.99, analytic: nil),
            ]
            if let accuracy = result.accuracy, result.completed > 0 {
                outputs.append(Output(name: "accuracy_fused", estimate: Double(accuracy.correct) / Double(result.completed),
                                      standardError: nil, analytic: nil))
            }
            return outputs
        }
    }
}

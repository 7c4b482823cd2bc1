// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import NumericCore

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
    ]

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
        switch name {
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
        default:
            return []
        }
    }
}

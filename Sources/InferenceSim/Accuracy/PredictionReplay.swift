// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// Replays the prediction logs of a deployment's models (docs/accuracy.md, "Prediction-log
/// replay"): request n carries sample n mod N of the logs' N shared samples (in the first
/// log's order) and every model's recorded output for it.
///
/// Storage is sample-major, so one sample's vectors for all models are contiguous (the layout
/// `AnswerFusion.fuse(vectors:label:arrived:)` takes). Each model's answer is also kept in
/// compact form for chains, cascades and per-model accuracy, relabelled so that class 0 is the
/// true class: the label and class 0 swap numbers, which keeps which wrong answers coincide.
public struct PredictionReplay: Sendable {
    /// Number of classes every log shares.
    public let classes: Int
    /// Number of models (answers per request).
    public let count: Int
    /// Number of samples N.
    public let samples: Int
    private let vectors: [Double]
    private let labels: [Int32]
    private let compact: [ModelAnswer]

    /// - Parameter names: the models' names for messages (optional, same order).
    /// - Throws: `AccuracyModelError` listing every problem: no logs, an empty log, class
    ///   counts that differ, sample ids of one log missing from another, labels that disagree.
    public init(_ logs: [PredictionLog], names: [String] = []) throws {
        func label(_ i: Int) -> String { i < names.count ? "model '\(names[i])' (\(logs[i].source))" : logs[i].source }
        var problems: [String] = []
        guard let first = logs.first else { throw AccuracyModelError(problems: ["no prediction logs to replay"]) }
        for (i, log) in logs.enumerated() where log.count == 0 { problems.append("\(label(i)): the log has no samples") }
        if logs.contains(where: { $0.classes != first.classes }) {
            problems.append("fused models' logs must share one set of classes, but the class counts differ ("
                            + logs.indices.map { "\(label($0)) \(logs[$0].classes)" }.joined(separator: ", ") + ")")
        }
        var rowOf: [[Int: Int]] = []
        for (i, log) in logs.enumerated() {
            let rows = Dictionary(log.sampleIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            rowOf.append(rows)
            guard i > 0 else { continue }
            if log.count != first.count || first.sampleIDs.contains(where: { rows[$0] == nil }) {
                let missing = first.sampleIDs.first { rows[$0] == nil }
                problems.append("\(label(i)) and \(label(0)) must cover the same samples: "
                                + (missing.map { "sample \($0) is missing from the first" } ?? "they have \(log.count) and \(first.count) samples"))
            } else if let id = first.sampleIDs.indices.first(where: { first.labels[$0] != log.labels[rows[first.sampleIDs[$0]]!] })
                        .map({ first.sampleIDs[$0] }) {
                problems.append("\(label(i)) and \(label(0)) disagree on the label of sample \(id)")
            }
        }
        if !problems.isEmpty { throw AccuracyModelError(problems: problems) }
        let k = first.classes, m = logs.count, n = first.count
        var vectors = [Double](repeating: 0, count: n * m * k)
        var compact: [ModelAnswer] = []
        compact.reserveCapacity(n * m)
        for s in 0..<n {
            let truth = first.labels[s]
            for (j, log) in logs.enumerated() {
                let row = rowOf[j][first.sampleIDs[s]]!
                for c in 0..<k { vectors[(s * m + j) * k + c] = log.probabilities[row * k + c] }
                let predicted = log.predictedClass(row)
                let relabelled = predicted == truth ? 0 : (predicted == 0 ? truth : predicted)
                compact.append(ModelAnswer(predictedClass: relabelled,
                                           confidence: log.probabilities[row * k + Int(predicted)]))
            }
        }
        classes = k
        count = m
        samples = n
        self.vectors = vectors
        labels = first.labels
        self.compact = compact
    }

    /// The replay of the logs of the models `deployment` places, in placement order.
    /// - Throws: `AccuracyModelError`, also naming placed models without a log.
    public init(deployment: DeploymentSpec, models catalog: [ModelSpec]) throws {
        var logs: [PredictionLog] = [], names: [String] = [], problems: [String] = []
        for placement in deployment.placements {
            if let log = catalog.first(where: { $0.name == placement.model })?.accuracy?.log {
                logs.append(log)
                names.append(placement.model)
            } else {
                problems.append("model '\(placement.model)' has no prediction log; replay needs one for every placed model")
            }
        }
        if !problems.isEmpty { throw AccuracyModelError(problems: problems) }
        try self.init(logs, names: names)
    }

    /// The sample that request `n` (counted from 0 in arrival order) carries: n mod N.
    @inlinable
    public func sample(forRequest n: Int) -> Int { n % samples }

    /// The true label of sample `s`.
    public func label(of s: Int) -> Int32 { labels[s] }

    /// Writes every model's compact answer to sample `s` into `answers` (`count` of them).
    public func fill(into answers: UnsafeMutableBufferPointer<ModelAnswer>, sample s: Int) {
        for j in 0..<count { answers[j] = compact[s * count + j] }
    }

    /// Model `j`'s compact answer to sample `s` (class 0 is the true class).
    public func answer(model j: Int, sample s: Int) -> ModelAnswer { compact[s * count + j] }

    /// Calls `body` with the models' probability vectors for sample `s` (`count · classes` values).
    public func withVectors<R>(of s: Int, _ body: (UnsafeBufferPointer<Double>) -> R) -> R {
        vectors.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[(s * count * classes)..<((s + 1) * count * classes)]))
        }
    }
}

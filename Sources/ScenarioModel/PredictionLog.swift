// SPDX-License-Identifier: GPL-3.0-or-later

/// One model's recorded predictions on an evaluation set (docs/accuracy.md, "Prediction-log
/// replay"): per sample, its id, its true label and the model's full class-probability vector.
/// The loader reads it from a CSV; the simulation replays it.
public struct PredictionLog: Sendable, Equatable {
    /// Where the log was read from (for messages).
    public var source: String
    /// Number of classes K; labels and vector indices are 0..<K.
    public var classes: Int
    /// The samples' ids, in file order.
    public var sampleIDs: [Int]
    /// The samples' true labels, in file order.
    public var labels: [Int32]
    /// Row-major probabilities: sample s gives class k `probabilities[s · classes + k]`.
    public var probabilities: [Double]

    public init(source: String, classes: Int, sampleIDs: [Int], labels: [Int32], probabilities: [Double]) {
        precondition(sampleIDs.count == labels.count && probabilities.count == labels.count * classes,
                     "a prediction log needs one label and one vector of \(classes) probabilities per sample")
        self.source = source
        self.classes = classes
        self.sampleIDs = sampleIDs
        self.labels = labels
        self.probabilities = probabilities
    }

    /// The number of samples.
    public var count: Int { labels.count }

    /// The class the model names for sample `s`: its most probable class, the lowest class
    /// number among equal probabilities.
    public func predictedClass(_ s: Int) -> Int32 {
        var best = 0
        for k in 1..<classes where probabilities[s * classes + k] > probabilities[s * classes + best] { best = k }
        return Int32(best)
    }

    /// The share of samples whose predicted class is the label (the model's top-1 accuracy).
    public var top1: Double {
        guard count > 0 else { return 0 }
        return Double((0..<count).filter { predictedClass($0) == labels[$0] }.count) / Double(count)
    }
}

extension PredictionLog: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case source, classes, sampleIDs, labels, probabilities
    }
}

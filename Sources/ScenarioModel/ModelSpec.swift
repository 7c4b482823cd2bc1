// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// A served ML model.
public struct ModelSpec: Sendable, Equatable {
    public var name: String
    /// Time to serve one request (one item) on one worker, in seconds, on hardware not listed
    /// in `serviceTimeOn` (or on nodes without hardware). `nil` when every placement's
    /// hardware has its own entry.
    public var serviceTime: Distribution?
    /// Service time per hardware name, overriding `serviceTime` there. File order.
    public var serviceTimeOn: [HardwareServiceTime]
    /// Memory the loaded model occupies (weights and runtime), bytes.
    public var memoryBytes: Double?
    /// Size of the model artifact a node downloads to load it, bytes.
    public var artifactBytes: Double?
    /// Size of one answer (the response payload), bytes; default 1 KB in the network model.
    public var outputBytes: Double?
    /// Dynamic batching, if the model batches.
    public var batching: BatchingSpec?
    /// Memory one request holds while its batch is in service (activations, inputs), bytes;
    /// counted against its node's memory left by the resident models (docs/cost-models.md).
    public var activationBytes: Double?
    /// The model's accuracy, if the scenario predicts accuracy.
    public var accuracy: AccuracySpec?
    /// A factor on drawn service times as a function of load (`serviceTimeScaling`); nil: none.
    public var serviceTimeScaling: ServiceTimeScaling?

    public init(name: String, serviceTime: Distribution?, serviceTimeOn: [HardwareServiceTime] = [],
                memoryBytes: Double? = nil, artifactBytes: Double? = nil, outputBytes: Double? = nil,
                batching: BatchingSpec? = nil, accuracy: AccuracySpec? = nil) {
        self.name = name
        self.serviceTime = serviceTime
        self.serviceTimeOn = serviceTimeOn
        self.memoryBytes = memoryBytes
        self.artifactBytes = artifactBytes
        self.outputBytes = outputBytes
        self.batching = batching
        self.accuracy = accuracy
    }

    /// The service-time distribution on `hardware` (its own entry, else `serviceTime`).
    public func serviceTime(on hardware: String?) -> Distribution? {
        if let hardware, let specific = serviceTimeOn.first(where: { $0.hardware == hardware }) {
            return specific.serviceTime
        }
        return serviceTime
    }
}

/// A model's service time on one kind of hardware.
public struct HardwareServiceTime: Sendable, Equatable {
    public var hardware: String
    public var serviceTime: Distribution

    public init(hardware: String, serviceTime: Distribution) {
        self.hardware = hardware
        self.serviceTime = serviceTime
    }
}

/// Dynamic batching: a worker takes up to `maxBatchSize` waiting requests at once, waiting at
/// most `maxQueueDelay` seconds for a batch to fill; a batch of b takes
/// t(b) = t₁ · (1 + α·(b − 1)), with t₁ a single-request service time.
public struct BatchingSpec: Sendable, Equatable {
    public var maxBatchSize: Int
    public var maxQueueDelay: Double
    /// α: the marginal cost of each extra request in a batch, relative to one request.
    public var alpha: Double

    public init(maxBatchSize: Int, maxQueueDelay: Double, alpha: Double) {
        self.maxBatchSize = maxBatchSize
        self.maxQueueDelay = maxQueueDelay
        self.alpha = alpha
    }
}

/// A synthetic description of a classifier's quality (docs/accuracy.md).
public struct AccuracySpec: Sendable, Equatable {
    /// Probability that the model's top answer is right, 0...1.
    public var top1: Double
    /// Number of classes, at least 2.
    public var classes: Int
    /// Correlation of this model's errors with the other models' (a shared per-sample
    /// difficulty), 0...1. Default 0.5.
    public var errorCorrelation: Double
    /// Mean confidence the model gives its answer when it is right and when it is wrong,
    /// 0...1; `nil` for a calibrated model (the loader fills nothing in).
    public var confidenceWhenRight: Double?
    public var confidenceWhenWrong: Double?
    /// The model's recorded predictions, replayed instead of synthetic answers when set
    /// (`top1` and `classes` are then the log's).
    public var log: PredictionLog?

    public init(top1: Double, classes: Int, errorCorrelation: Double = 0.5,
                confidenceWhenRight: Double? = nil, confidenceWhenWrong: Double? = nil) {
        self.top1 = top1
        self.classes = classes
        self.errorCorrelation = errorCorrelation
        self.confidenceWhenRight = confidenceWhenRight
        self.confidenceWhenWrong = confidenceWhenWrong
    }

    /// A model whose answers are replayed from `log`.
    public init(log: PredictionLog) {
        self.init(top1: log.top1, classes: log.classes)
        self.log = log
    }
}

extension ModelSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case name, serviceTime, serviceTimeOn, memoryBytes, artifactBytes, outputBytes, batching
        case activationBytes, accuracy, serviceTimeScaling
    }

    // An option added after the format was fixed is left out while unset, so that a scenario
    // without it resolves to the same bytes as before it existed; every other optional is
    // written, `null` when unset (`JSONValueEncoder`'s `optionals: .null`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(serviceTime, forKey: .serviceTime)
        try container.encode(serviceTimeOn, forKey: .serviceTimeOn)
        try container.encodeIfPresent(memoryBytes, forKey: .memoryBytes)
        try container.encodeIfPresent(artifactBytes, forKey: .artifactBytes)
        try container.encodeIfPresent(outputBytes, forKey: .outputBytes)
        try container.encodeIfPresent(batching, forKey: .batching)
        try container.encodeIfPresent(activationBytes, forKey: .activationBytes)
        try container.encodeIfPresent(accuracy, forKey: .accuracy)
        if let serviceTimeScaling { try container.encode(serviceTimeScaling, forKey: .serviceTimeScaling) }
    }
}

extension HardwareServiceTime: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case hardware, serviceTime
    }
}

extension BatchingSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case maxBatchSize, maxQueueDelay, alpha
    }
}

extension AccuracySpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case top1, classes, errorCorrelation, confidenceWhenRight, confidenceWhenWrong, log
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    static let modelKeys = ["serviceTime", "serviceTimeOn", "memory", "artifact", "output", "batching", "activationMemory", "accuracy",
                            "serviceTimeScaling"]
    static let batchingKeys = ["maxBatch", "maxDelay", "alpha"]
    static let accuracyKeys = ["top1", "classes", "correlation", "confidenceRight", "confidenceWrong"]
    /// A logged model's `accuracy` (its only key).
    static let accuracyLogKeys = ["log"]
    /// Largest batch accepted (a guard against typos).
    static let maxBatch = 100_000
    /// Largest number of classes accepted.
    static let maxClasses = 1_000_000_000

    /// `models: {NAME: {serviceTime, serviceTimeOn, memory, artifact, output, batching,
    /// activationMemory, accuracy, serviceTimeScaling}}`, in file order. Whether each placement finds a service time is checked
    /// with the deployment (`checkDeployment`).
    mutating func decodeModels(_ node: ScenarioNode, path: KeyPath) -> [ModelSpec]? {
        guard let entries = namedEntries(node, path: path, what: "model") else { return nil }
        references.models = entries.map { .init(name: $0.name, node: $0.entry.key, path: path.appending($0.name)) }
        let before = log.count
        var models: [ModelSpec] = []
        for (name, entry) in entries {
            let modelPath = path.appending(name)
            guard let reader = MappingReader(entry.value, path: modelPath, keys: Self.modelKeys, log: &log) else { continue }
            let itemBefore = log.count
            var model = ModelSpec(name: name, serviceTime: nil)
            references.serviceTimes[name] = (reader["serviceTime"] != nil,
                                             Set(reader["serviceTimeOn"].flatMap(Self.mappingKeys) ?? []))
            model.serviceTime = reader["serviceTime"].flatMap { distribution($0, path: modelPath.appending("serviceTime"), kind: .time) }
            if let on = reader["serviceTimeOn"] {
                model.serviceTimeOn = decodeServiceTimeOn(on, path: modelPath.appending("serviceTimeOn"))
            }
            if reader["serviceTimeOn"] == nil {
                _ = reader.required("serviceTime", log: &log,
                                    hint: "e.g. `serviceTime: {dist: exponential, mean: 20ms}`, or `serviceTimeOn: {HARDWARE: ...}` per hardware")
            }
            model.memoryBytes = reader["memory"].flatMap { quantity($0, path: modelPath.appending("memory"), kind: .size, positive: true) }
            model.artifactBytes = reader["artifact"]
                .flatMap { quantity($0, path: modelPath.appending("artifact"), kind: .size, positive: true) }
            model.outputBytes = reader["output"].flatMap { quantity($0, path: modelPath.appending("output"), kind: .size, positive: false) }
            model.batching = reader["batching"].flatMap { decodeBatching($0, path: modelPath.appending("batching")) }
            model.activationBytes = reader["activationMemory"]
                .flatMap { quantity($0, path: modelPath.appending("activationMemory"), kind: .size, positive: false) }
            model.accuracy = reader["accuracy"].flatMap { decodeAccuracy($0, path: modelPath.appending("accuracy")) }
            if let scaling = reader["serviceTimeScaling"] {
                model.serviceTimeScaling = decodeServiceTimeScaling(scaling, path: modelPath.appending("serviceTimeScaling"),
                                                                    batching: reader["batching"] != nil)
            }
            if log.count == itemBefore { models.append(model) }
        }
        return log.count == before ? models : nil
    }

    /// `serviceTimeOn: {HARDWARE: DISTRIBUTION}`; the names are checked against `hardware`.
    private mutating func decodeServiceTimeOn(_ node: ScenarioNode, path: KeyPath) -> [HardwareServiceTime] {
        guard let entries = namedEntries(node, path: path, what: "hardware") else { return [] }
        var result: [HardwareServiceTime] = []
        for (name, entry) in entries {
            references.hardwareUses.append(.init(name: name, node: entry.key, path: path.appending(name)))
            if let time = distribution(entry.value, path: path.appending(name), kind: .time) {
                result.append(HardwareServiceTime(hardware: name, serviceTime: time))
            }
        }
        return result
    }

    /// `batching: {maxBatch, maxDelay, alpha}`, all required.
    private mutating func decodeBatching(_ node: ScenarioNode, path: KeyPath) -> BatchingSpec? {
        guard let reader = MappingReader(node, path: path, keys: Self.batchingKeys, log: &log) else { return nil }
        let size = reader.required("maxBatch", log: &log, hint: "the largest batch a worker takes, e.g. `maxBatch: 8`")
            .flatMap { integer($0, path: path.appending("maxBatch"), in: 1...Self.maxBatch) }
        let delay = reader.required("maxDelay", log: &log, hint: "how long a batch may wait to fill, e.g. `maxDelay: 5ms`")
            .flatMap { quantity($0, path: path.appending("maxDelay"), kind: .time, positive: false) }
        let alpha = reader.required("alpha", log: &log, hint: "the cost of each extra request relative to one, e.g. `alpha: 0.1`")
            .flatMap { number($0, path: path.appending("alpha"), atLeast: 0, why: "alpha is the extra cost of one more request in a batch") }
        guard let size, let delay, let alpha else { return nil }
        return BatchingSpec(maxBatchSize: size, maxQueueDelay: delay, alpha: alpha)
    }

    /// `accuracy: {top1, classes, correlation, confidenceRight, confidenceWrong}`, or
    /// `accuracy: {log: file.csv}` (a prediction log, `PredictionLogCSV`) and nothing else.
    private mutating func decodeAccuracy(_ node: ScenarioNode, path: KeyPath) -> AccuracySpec? {
        guard let reader = MappingReader(node, path: path, keys: Self.accuracyKeys + Self.accuracyLogKeys, log: &log)
        else { return nil }
        let before = log.count
        if let fileNode = reader["log"] {
            for key in Self.accuracyKeys {
                if let other = reader[key] {
                    log.error("`\(key)` cannot be combined with `log`: a logged model's accuracy comes from its log",
                              at: other, path: path.appending(key), hint: "remove `\(key)`, or remove `log` for a synthetic model")
                }
            }
            guard let (text, resolved) = textFile(fileNode, path: path.appending("log"), what: "the prediction log"),
                  let predictions = PredictionLogCSV.read(text, file: resolved, log: &log),
                  log.count == before else { return nil }
            return AccuracySpec(log: predictions)
        }
        let top1 = reader.required("top1", log: &log, hint: "the probability that the top answer is right, e.g. `top1: 0.76`")
            .flatMap { number($0, path: path.appending("top1"), atLeast: 0, lowerOpen: true, atMost: 1,
                              why: "top1 is the probability that the model's top answer is right") }
        let classes = reader.required("classes", log: &log, hint: "the number of classes, e.g. `classes: 1000`")
            .flatMap { integer($0, path: path.appending("classes"), in: 2...Self.maxClasses) }
        var spec = AccuracySpec(top1: top1 ?? 1, classes: classes ?? 2)
        if let value = reader["correlation"] {
            spec.errorCorrelation = number(value, path: path.appending("correlation"), atLeast: 0, atMost: 1) ?? 0.5
        }
        spec.confidenceWhenRight = reader["confidenceRight"]
            .flatMap { number($0, path: path.appending("confidenceRight"), atLeast: 0, atMost: 1, why: "a confidence is a probability") }
        spec.confidenceWhenWrong = reader["confidenceWrong"]
            .flatMap { number($0, path: path.appending("confidenceWrong"), atLeast: 0, atMost: 1, why: "a confidence is a probability") }
        return log.count == before ? spec : nil
    }

    /// The keys of a mapping as written (empty for anything else).
    static func mappingKeys(_ node: ScenarioNode) -> [String]? {
        guard case .mapping(let entries) = node.content else { return nil }
        return entries.compactMap(\.key.scalarText)
    }
}

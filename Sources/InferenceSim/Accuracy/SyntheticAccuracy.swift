// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel

/// Synthetic answers of the models of one deployment to one request (docs/accuracy.md).
///
/// Per request: one shared difficulty Z ~ N(0, 1); model m is right when
/// `a_m + √ρ_m·Z + √(1 − ρ_m)·E_m > 0`, with E_m ~ N(0, 1) its own and `a_m = Φ⁻¹(top1_m)`,
/// so P(right) = top1_m and two models' latent scores correlate by √(ρ_m·ρ_n). A wrong model
/// names the request's confusable class (class 1) with probability `confusableShare`, else a
/// class drawn uniformly from 1..<classes. Its confidence comes from `ConfidenceModel`.
///
/// Every request draws every model's answer (whether or not the branch answers in time), so
/// the stream's use does not depend on what the simulation does with the answers.
public struct SyntheticAccuracy: Sendable {
    /// The defaults, and why, are in docs/accuracy.md.
    public static let defaultConfusableShare = 0.5
    public static let defaultConfidenceConcentration = 2.0

    /// Number of classes every model shares.
    public let classes: Int
    /// Probability that a wrong answer names the request's confusable class.
    public let confusableShare: Double
    /// α + β of the confidence Beta distributions.
    public let confidenceConcentration: Double
    /// The specs the models were built from, in order.
    public let specs: [AccuracySpec]

    private struct Model: Sendable {
        /// Φ⁻¹(top1), ±∞ for top1 = 1 or 0.
        var threshold: Double
        var sharedWeight: Double
        var ownWeight: Double
        var confidence: ConfidenceModel
    }

    private let models: [Model]

    /// The number of models (answers per draw).
    public var count: Int { models.count }

    /// Builds the synthetic answers of `specs` (one per model, in branch or stage order).
    /// - Parameters:
    ///   - names: the models' names for error messages (optional, same order).
    ///   - confusableShare: q in 0...1.
    ///   - confidenceConcentration: s > 0; larger s concentrates confidences near their mean.
    /// - Throws: `AccuracyModelError` listing every problem: no models, classes that differ or
    ///   are below 2, top1 / errorCorrelation / confidences outside their ranges, a calibrated
    ///   model below chance (top1 < 1/classes), bad q or s.
    public init(_ specs: [AccuracySpec], names: [String] = [],
                confusableShare: Double = defaultConfusableShare,
                confidenceConcentration: Double = defaultConfidenceConcentration) throws {
        var problems: [String] = []
        func label(_ i: Int) -> String { i < names.count ? "model '\(names[i])'" : "model \(i)" }
        if specs.isEmpty { problems.append("no models to draw answers for") }
        if !(confusableShare >= 0 && confusableShare <= 1) {
            problems.append("confusable share must be in 0...1, got \(confusableShare)")
        }
        if !(confidenceConcentration > 0 && confidenceConcentration.isFinite) {
            problems.append("confidence concentration must be a finite number > 0, got \(confidenceConcentration)")
        }
        let classes = specs.first?.classes ?? 0
        if specs.contains(where: { $0.classes != classes }) {
            let list = specs.indices.map { "\(label($0)) \(specs[$0].classes)" }.joined(separator: ", ")
            problems.append("fused models must share one set of classes, but the class counts differ (\(list))")
        }
        for (i, spec) in specs.enumerated() {
            let who = label(i)
            if spec.classes < 2 { problems.append("\(who): classes must be at least 2, got \(spec.classes)") }
            if !(spec.top1 >= 0 && spec.top1 <= 1) { problems.append("\(who): top1 must be in 0...1, got \(spec.top1)") }
            if !(spec.errorCorrelation >= 0 && spec.errorCorrelation <= 1) {
                problems.append("\(who): errorCorrelation must be in 0...1, got \(spec.errorCorrelation)")
            }
            guard spec.classes >= 2 else { continue }
            let floor = 1 / Double(spec.classes)
            for (key, value) in [("confidenceWhenRight", spec.confidenceWhenRight),
                                 ("confidenceWhenWrong", spec.confidenceWhenWrong)] {
                if let value, !(value >= floor && value <= 1) {
                    problems.append("\(who): \(key) must be in 1/classes...1 = \(floor)...1 (the top class never gets less), got \(value)")
                }
            }
            let calibratedSide = spec.confidenceWhenRight == nil || spec.confidenceWhenWrong == nil
            if calibratedSide, spec.top1 >= 0, spec.top1 < floor {
                problems.append("\(who): a calibrated model cannot have top1 \(spec.top1) below chance 1/classes = \(floor); give confidenceWhenRight and confidenceWhenWrong")
            }
        }
        if !problems.isEmpty { throw AccuracyModelError(problems: problems) }

        self.classes = classes
        self.confusableShare = confusableShare
        self.confidenceConcentration = confidenceConcentration
        self.specs = specs
        models = specs.map { spec in
            Model(threshold: StandardNormal.quantile(spec.top1),
                  sharedWeight: spec.errorCorrelation.squareRoot(),
                  ownWeight: (1 - spec.errorCorrelation).squareRoot(),
                  confidence: ConfidenceModel(top1: spec.top1, classes: classes,
                                              concentration: confidenceConcentration,
                                              meanWhenRight: spec.confidenceWhenRight,
                                              meanWhenWrong: spec.confidenceWhenWrong))
        }
    }

    /// The probability that model `index`'s answer has a confidence below `threshold`: the
    /// share of requests a cascade stage escalates (docs/accuracy.md, "Confidence").
    public func escalationProbability(model index: Int, threshold: Double) -> Double {
        models[index].confidence.probabilityBelow(threshold, top1: specs[index].top1)
    }

    /// Builds the synthetic answers of the models `deployment` places, in placement order.
    /// - Throws: `AccuracyModelError`, also naming placed models that are unknown or have no
    ///   `accuracy`.
    public init(deployment: DeploymentSpec, models catalog: [ModelSpec],
                confusableShare: Double = defaultConfusableShare,
                confidenceConcentration: Double = defaultConfidenceConcentration) throws {
        var specs: [AccuracySpec] = []
        var names: [String] = []
        var problems: [String] = []
        for placement in deployment.placements {
            guard let model = catalog.first(where: { $0.name == placement.model }) else {
                problems.append("model '\(placement.model)' is placed but not defined")
                continue
            }
            guard let accuracy = model.accuracy else {
                problems.append("model '\(model.name)' has no accuracy spec; every fused model needs one")
                continue
            }
            specs.append(accuracy)
            names.append(model.name)
        }
        if !problems.isEmpty { throw AccuracyModelError(problems: problems) }
        try self.init(specs, names: names, confusableShare: confusableShare,
                      confidenceConcentration: confidenceConcentration)
    }

    /// A standard normal variate by inversion of one uniform (`StandardNormal.quantile`).
    @inline(__always)
    private static func standardNormal(_ stream: RandomStream) -> Double {
        StandardNormal.quantile(stream.nextUniform())
    }

    /// Draws one request's answers of every model into `answers[0..<count]`, from `stream`
    /// alone. No allocation.
    public func draw(into answers: UnsafeMutableBufferPointer<ModelAnswer>, stream: RandomStream) {
        precondition(answers.count >= models.count, "answer storage holds \(answers.count), needs \(models.count)")
        let z = Self.standardNormal(stream)
        let wrongClasses = classes - 1
        let q = confusableShare
        models.withUnsafeBufferPointer { models in
            for m in 0..<models.count {
                let e = Self.standardNormal(stream)
                if models[m].threshold + models[m].sharedWeight * z + models[m].ownWeight * e > 0 {
                    answers[m] = ModelAnswer(predictedClass: 0, confidence: models[m].confidence.whenRight(stream))
                } else {
                    var wrong = 1
                    if wrongClasses > 1 {
                        let u = stream.nextUniform()
                        if u >= q {
                            // (u − q)/(1 − q) is uniform on [0, 1): a uniform class in 1...wrongClasses.
                            wrong = 1 + Swift.min(Int((u - q) / (1 - q) * Double(wrongClasses)), wrongClasses - 1)
                        }
                    }
                    answers[m] = ModelAnswer(predictedClass: Int32(wrong), confidence: models[m].confidence.whenWrong(stream))
                }
            }
        }
    }

    /// Convenience for tests and tools (allocates): one request's answers as an array.
    public func draw(stream: RandomStream) -> [ModelAnswer] {
        var answers = [ModelAnswer](repeating: ModelAnswer(predictedClass: 0, confidence: 0), count: models.count)
        answers.withUnsafeMutableBufferPointer { draw(into: $0, stream: stream) }
        return answers
    }
}

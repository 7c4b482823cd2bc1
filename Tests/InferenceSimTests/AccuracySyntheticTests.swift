// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL
import XCTest
import InferenceSim
import NumericCore
import ScenarioModel

/// The synthetic answer model (docs/accuracy.md). Every statistical check uses a fixed seed
/// and a bound stated before the test: the result is deterministic, and the bound is the one
/// the true value would satisfy with the stated probability, so a pass is not a tuned pass.
final class AccuracySyntheticTests: XCTestCase {
    /// Two-sided normal quantile: 99.9 % → 3.29.
    static func z(_ confidence: Double) -> Double { gsl_cdf_ugaussian_Pinv(1 - (1 - confidence) / 2) }

    /// Binomial bound: |p̂ − p| ≤ z·√(p(1 − p)/n).
    static func binomialBound(_ p: Double, _ n: Int, confidence: Double = 0.999) -> Double {
        z(confidence) * (p * (1 - p) / Double(n)).squareRoot()
    }

    private func stream(_ name: String, seed: UInt64 = 20_240_611) -> RandomStream {
        RandomStream(seed: seed, replication: 0, name: name)
    }

    /// Counts of right answers per model over n draws, and the answers' confidence range.
    private func rightCounts(_ model: SyntheticAccuracy, draws n: Int, stream: RandomStream) -> [Int] {
        var counts = [Int](repeating: 0, count: model.count)
        var storage = [ModelAnswer](repeating: ModelAnswer(predictedClass: 0, confidence: 0), count: model.count)
        let floor = 1 / Double(model.classes)
        storage.withUnsafeMutableBufferPointer { answers in
            for _ in 0..<n {
                model.draw(into: answers, stream: stream)
                for m in 0..<model.count {
                    if answers[m].isCorrect { counts[m] += 1 }
                    precondition(answers[m].confidence >= floor - 1e-12 && answers[m].confidence <= 1)
                    precondition(answers[m].predictedClass >= 0 && Int(answers[m].predictedClass) < model.classes)
                }
            }
        }
        return counts
    }

    /// P(right) = Φ(Φ⁻¹(top1)) = top1 for every model, whatever ρ and classes.
    /// Check: |right/n − top1| ≤ 3.29·√(top1(1 − top1)/n), 99.9 % binomial, n = 10^5.
    func testEachModelsAccuracyIsItsTop1() throws {
        let configs: [(classes: Int, top1: [Double], rho: [Double])] = [
            (10, [0.7, 0.9, 0.5], [0.5, 0.0, 0.9]),
            (2, [0.55, 0.8, 0.99], [0.2, 1.0, 0.5]),
            (1000, [0.76, 0.3, 0.999], [0.0, 0.5, 0.7]),
        ]
        let n = 100_000
        for (c, config) in configs.enumerated() {
            let specs = zip(config.top1, config.rho).map { AccuracySpec(top1: $0, classes: config.classes, errorCorrelation: $1) }
            let model = try SyntheticAccuracy(specs)
            let counts = rightCounts(model, draws: n, stream: stream("top1-\(c)"))
            for m in 0..<model.count {
                let p = config.top1[m]
                XCTAssertEqual(Double(counts[m]) / Double(n), p, accuracy: Self.binomialBound(p, n),
                               "classes \(config.classes), model \(m) (top1 \(p), ρ \(config.rho[m]))")
            }
        }
    }

    /// P(both right) for two models with the same ρ < 1:
    /// ∫ φ(z)·Φ((a₁ + √ρ z)/√(1−ρ))·Φ((a₂ + √ρ z)/√(1−ρ)) dz (Simpson, [−10, 10], 4000 steps).
    static func bothRight(_ p1: Double, _ p2: Double, rho: Double) -> Double {
        let a1 = gsl_cdf_ugaussian_Pinv(p1), a2 = gsl_cdf_ugaussian_Pinv(p2)
        let s = rho.squareRoot(), t = (1 - rho).squareRoot()
        func f(_ z: Double) -> Double {
            exp(-z * z / 2) / (2 * Double.pi).squareRoot()
                * gsl_cdf_ugaussian_P((a1 + s * z) / t) * gsl_cdf_ugaussian_P((a2 + s * z) / t)
        }
        let steps = 4000, lo = -10.0, h = 20.0 / Double(steps)
        var sum = f(lo) + f(lo + Double(steps) * h)
        for i in 1..<steps { sum += (i % 2 == 1 ? 4 : 2) * f(lo + Double(i) * h) }
        return sum * h / 3
    }

    /// Two models (top1 0.7 and 0.8, 10 classes) with ρ ∈ {0, 0.3, 0.6, 0.9}: the measured
    /// P(both right) matches the integral above within the 99.9 % binomial bound (n = 10^5) —
    /// at ρ = 0 that is p₁·p₂, independence — and the correlation of their error indicators
    /// rises strictly with ρ.
    func testErrorCorrelationRisesWithRhoAndVanishesAtZero() throws {
        let n = 100_000
        var previousPhi = -1.0
        for rho in [0.0, 0.3, 0.6, 0.9] {
            let model = try SyntheticAccuracy([AccuracySpec(top1: 0.7, classes: 10, errorCorrelation: rho),
                                               AccuracySpec(top1: 0.8, classes: 10, errorCorrelation: rho)])
            let s = stream("correlation-\(rho)")
            var both = 0, first = 0, second = 0
            var answers = [ModelAnswer](repeating: ModelAnswer(predictedClass: 0, confidence: 0), count: 2)
            answers.withUnsafeMutableBufferPointer { buffer in
                for _ in 0..<n {
                    model.draw(into: buffer, stream: s)
                    let r1 = buffer[0].isCorrect, r2 = buffer[1].isCorrect
                    if r1 { first += 1 }
                    if r2 { second += 1 }
                    if r1 && r2 { both += 1 }
                }
            }
            let exact = Self.bothRight(0.7, 0.8, rho: rho)
            if rho == 0 { XCTAssertEqual(exact, 0.56, accuracy: 1e-9) }
            XCTAssertEqual(Double(both) / Double(n), exact, accuracy: Self.binomialBound(exact, n), "ρ = \(rho)")
            let p1 = Double(first) / Double(n), p2 = Double(second) / Double(n), p12 = Double(both) / Double(n)
            let phi = (p12 - p1 * p2) / (p1 * (1 - p1) * p2 * (1 - p2)).squareRoot()
            XCTAssertGreaterThan(phi, previousPhi, "error correlation must rise with ρ (ρ = \(rho))")
            previousPhi = phi
        }
    }

    /// When two models are both wrong, they name the same class with probability
    /// (q + r)² + (K − 2)·r², r = (1 − q)/(K − 1) (q = 0.5, K = 10: 0.3086).
    /// Check: 99.9 % binomial bound over the both-wrong draws (≈ 1.6·10^4 of 10^5).
    func testWrongAnswersCoincideAsStated() throws {
        let q = 0.5, k = 10
        let model = try SyntheticAccuracy([AccuracySpec(top1: 0.6, classes: k, errorCorrelation: 0.5),
                                           AccuracySpec(top1: 0.7, classes: k, errorCorrelation: 0.5)],
                                          confusableShare: q)
        let s = stream("coincide")
        var bothWrong = 0, same = 0
        for _ in 0..<100_000 {
            let a = model.draw(stream: s)
            if !a[0].isCorrect && !a[1].isCorrect {
                bothWrong += 1
                if a[0].predictedClass == a[1].predictedClass { same += 1 }
            }
        }
        let r = (1 - q) / Double(k - 1)
        let expected = (q + r) * (q + r) + Double(k - 2) * r * r
        XCTAssertGreaterThan(bothWrong, 10_000)
        XCTAssertEqual(Double(same) / Double(bothWrong), expected, accuracy: Self.binomialBound(expected, bothWrong))
    }

    /// Calibration: within each confidence bin (width 0.1) holding at least 500 answers,
    /// accuracy ≈ mean confidence. Given the bin, Σ(right − c) has variance Σc(1 − c) ≤ n·m(1 − m)
    /// (m the bin's mean confidence), so |acc − m| ≤ 3.89·√(m(1 − m)/n) at 99.99 % per bin
    /// (≥ 99.9 % over the ≤ 10 bins of a model). Also the overall mean confidence ≈ top1.
    func testDefaultConfidenceIsCalibratedInBins() throws {
        let configs: [(top1: Double, classes: Int, rho: Double)] = [(0.7, 10, 0.5), (0.9, 1000, 0.2), (0.6, 2, 0.8), (0.35, 5, 0.5)]
        let n = 100_000
        for (c, config) in configs.enumerated() {
            let model = try SyntheticAccuracy([AccuracySpec(top1: config.top1, classes: config.classes,
                                                            errorCorrelation: config.rho)])
            let s = stream("calibration-\(c)")
            var count = [Int](repeating: 0, count: 10), right = [Int](repeating: 0, count: 10)
            var confidenceSum = [Double](repeating: 0, count: 10)
            var total = 0.0, totalSquares = 0.0
            for _ in 0..<n {
                let a = model.draw(stream: s)[0]
                let bin = min(Int(a.confidence * 10), 9)
                count[bin] += 1
                confidenceSum[bin] += a.confidence
                if a.isCorrect { right[bin] += 1 }
                total += a.confidence
                totalSquares += a.confidence * a.confidence
            }
            var checked = 0
            for bin in 0..<10 where count[bin] >= 500 {
                let m = confidenceSum[bin] / Double(count[bin])
                let accuracy = Double(right[bin]) / Double(count[bin])
                XCTAssertEqual(accuracy, m, accuracy: 3.89 * (m * (1 - m) / Double(count[bin])).squareRoot(),
                               "top1 \(config.top1), classes \(config.classes), bin \(bin)")
                checked += 1
            }
            XCTAssertGreaterThanOrEqual(checked, 3, "calibration needs several populated bins")
            // Mean confidence: sd ≤ √(E[c²] − top1²)/√n, 3.29 sd at 99.9 %.
            let mean = total / Double(n)
            let sd = (totalSquares / Double(n) - mean * mean).squareRoot()
            XCTAssertEqual(mean, config.top1, accuracy: 3.29 * sd / Double(n).squareRoot())
        }
    }

    /// Given means: c | right has mean confidenceWhenRight, c | wrong has confidenceWhenWrong.
    /// c = ℓ + (1 − ℓ)x, x ~ Beta with concentration s = 2, so sd(c) = (1 − ℓ)√(μ(1 − μ)/(s + 1));
    /// check |mean − given| ≤ 3.29·sd/√n (99.9 %).
    func testGivenConfidenceMeansAreHonoured() throws {
        let spec = AccuracySpec(top1: 0.8, classes: 10, errorCorrelation: 0.5,
                                confidenceWhenRight: 0.9, confidenceWhenWrong: 0.55)
        let model = try SyntheticAccuracy([spec])
        let s = stream("given-means")
        var rightSum = 0.0, rightN = 0, wrongSum = 0.0, wrongN = 0
        for _ in 0..<100_000 {
            let a = model.draw(stream: s)[0]
            if a.isCorrect { rightSum += a.confidence; rightN += 1 } else { wrongSum += a.confidence; wrongN += 1 }
        }
        func bound(_ c: Double, _ n: Int) -> Double {
            let l = 0.1, mu = (c - l) / (1 - l)
            return 3.29 * (1 - l) * (mu * (1 - mu) / 3).squareRoot() / Double(n).squareRoot()
        }
        XCTAssertEqual(rightSum / Double(rightN), 0.9, accuracy: bound(0.9, rightN))
        XCTAssertEqual(wrongSum / Double(wrongN), 0.55, accuracy: bound(0.55, wrongN))
    }

    /// Same stream name and seed ⇒ the same answers; the draw uses only the stream passed in.
    func testDrawsAreReproducible() throws {
        let model = try SyntheticAccuracy([AccuracySpec(top1: 0.7, classes: 10), AccuracySpec(top1: 0.9, classes: 10)])
        let s1 = stream("repro"), s2 = stream("repro")
        for _ in 0..<1000 { XCTAssertEqual(model.draw(stream: s1), model.draw(stream: s2)) }
    }

    /// Edge values: top1 = 1 is always right with confidence 1; top1 = 1/classes (chance) is
    /// calibrated with constant confidence 1/classes; ρ = 1 makes equal models agree on correctness.
    func testEdgeValues() throws {
        let model = try SyntheticAccuracy([AccuracySpec(top1: 1, classes: 4),
                                           AccuracySpec(top1: 0.25, classes: 4),
                                           AccuracySpec(top1: 0.6, classes: 4, errorCorrelation: 1),
                                           AccuracySpec(top1: 0.6, classes: 4, errorCorrelation: 1)])
        let s = stream("edges")
        for _ in 0..<10_000 {
            let a = model.draw(stream: s)
            XCTAssertEqual(a[0], ModelAnswer(predictedClass: 0, confidence: 1))
            XCTAssertEqual(a[1].confidence, 0.25, accuracy: 1e-12)
            XCTAssertEqual(a[2].isCorrect, a[3].isCorrect)
        }
    }

    /// Build errors list every problem at once, with a message that says what differs.
    func testBuildErrorsAreListedTogether() {
        XCTAssertThrowsError(try SyntheticAccuracy([AccuracySpec(top1: 0.7, classes: 10),
                                                    AccuracySpec(top1: 0.7, classes: 100),
                                                    AccuracySpec(top1: 1.5, classes: 10, errorCorrelation: -0.1)],
                                                   names: ["cloud", "edge", "local"])) { error in
            let problems = (error as? AccuracyModelError)?.problems ?? []
            XCTAssertEqual(problems.count, 3, "\(problems)")
            XCTAssertTrue(problems[0].contains("class counts differ") && problems[0].contains("model 'edge' 100"), problems[0])
            XCTAssertTrue(problems[1].contains("model 'local': top1"), problems[1])
            XCTAssertTrue(problems[2].contains("errorCorrelation"), problems[2])
        }
        XCTAssertThrowsError(try SyntheticAccuracy([AccuracySpec(top1: 0.05, classes: 10)])) { error in
            XCTAssertTrue("\(error)".contains("below chance"), "\(error)")
        }
        // Below chance is fine when both confidence means are given (not calibrated).
        XCTAssertNoThrow(try SyntheticAccuracy([AccuracySpec(top1: 0.05, classes: 10, confidenceWhenRight: 0.3,
                                                             confidenceWhenWrong: 0.4)]))
        XCTAssertThrowsError(try SyntheticAccuracy([AccuracySpec(top1: 0.7, classes: 10, confidenceWhenRight: 0.05)])) { error in
            XCTAssertTrue("\(error)".contains("confidenceWhenRight"), "\(error)")
        }
    }

    /// Built from a deployment: placements in order; unknown models and models without an
    /// accuracy spec are named.
    func testBuildFromDeployment() throws {
        let models = [ModelSpec(name: "big", serviceTime: .exponential(mean: 0.1), accuracy: AccuracySpec(top1: 0.9, classes: 10)),
                      ModelSpec(name: "small", serviceTime: .exponential(mean: 0.01), accuracy: AccuracySpec(top1: 0.7, classes: 10)),
                      ModelSpec(name: "blind", serviceTime: .exponential(mean: 0.01))]
        let deployment = DeploymentSpec.cascade(CascadeSpec(stages: [
            .init(placement: Placement(model: "small", node: "edge"), threshold: 0.8),
            .init(placement: Placement(model: "big", node: "cloud"), threshold: 0),
        ]))
        let built = try SyntheticAccuracy(deployment: deployment, models: models)
        XCTAssertEqual(built.specs.map(\.top1), [0.7, 0.9])
        let bad = DeploymentSpec.pipeline([Placement(model: "blind", node: "a"), Placement(model: "ghost", node: "b")])
        XCTAssertThrowsError(try SyntheticAccuracy(deployment: bad, models: models)) { error in
            let problems = (error as? AccuracyModelError)?.problems ?? []
            XCTAssertEqual(problems.count, 2, "\(problems)")
        }
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// How confident one synthetic model is in its answer, given whether the answer is right
/// (docs/accuracy.md, "Confidence").
///
/// The confidence is c = ℓ + (1 − ℓ)·x with ℓ = 1/classes (the top class of a probability
/// vector never has less) and x in [0, 1] Beta-distributed.
///
/// - Calibrated (default): over all answers x ~ Beta(α, β) with mean (top1 − ℓ)/(1 − ℓ), so
///   E[c] = top1, and concentration α + β = s. Correctness is then drawn "as if" Bernoulli(c),
///   which makes P(right | c) = c; drawing c after correctness uses Bayes' rule:
///   c | right has density ∝ c·f(c), the mixture ℓ/top1 · Beta(α, β) + (1 − ℓ/top1) · Beta(α + 1, β);
///   c | wrong has density ∝ (1 − c)·f(c), which is Beta(α, β + 1).
/// - Given mean confidence when right (or wrong): x | right ~ Beta with mean
///   (confidenceWhenRight − ℓ)/(1 − ℓ) and concentration s (likewise when wrong). Such a model is
///   calibrated only if the two means happen to fit.
struct ConfidenceModel: Sendable {
    /// ℓ = 1/classes.
    let floor: Double
    /// x | right: `rightFirst` with probability `rightFirstWeight`, else `rightSecond`.
    let rightFirst: BetaVariate
    let rightSecond: BetaVariate
    let rightFirstWeight: Double
    /// x | wrong.
    let wrong: BetaVariate

    /// - Parameters: `top1` ≥ 1/classes when either side is calibrated; given means in
    ///   [1/classes, 1]; `concentration` > 0. The caller (`SyntheticAccuracy`) validates.
    init(top1: Double, classes: Int, concentration s: Double,
         meanWhenRight: Double?, meanWhenWrong: Double?) {
        let l = 1 / Double(classes)
        floor = l
        func scaled(_ c: Double) -> Double { Swift.min(Swift.max((c - l) / (1 - l), 0), 1) }
        let mu = scaled(top1)
        let alpha = mu * s, beta = (1 - mu) * s
        if let m = meanWhenRight {
            rightFirst = BetaVariate(mean: scaled(m), concentration: s)
            rightSecond = rightFirst
            rightFirstWeight = 1
        } else {
            rightFirst = BetaVariate(alpha: alpha, beta: beta)
            rightSecond = BetaVariate(alpha: alpha + 1, beta: beta)
            rightFirstWeight = top1 > 0 ? Swift.min(l / top1, 1) : 1
        }
        if let m = meanWhenWrong {
            wrong = BetaVariate(mean: scaled(m), concentration: s)
        } else {
            wrong = BetaVariate(alpha: alpha, beta: beta + 1)
        }
    }

    /// P(confidence < c) over all answers, right with probability `top1`: the share of
    /// answers a cascade stage with threshold c escalates. With x* = (c − ℓ)/(1 − ℓ):
    /// top1 · P(x | right < x*) + (1 − top1) · P(x | wrong < x*), from the Beta CDFs.
    func probabilityBelow(_ c: Double, top1: Double) -> Double {
        let x = (c - floor) / (1 - floor)
        if x <= 0 { return 0 }
        let right = rightFirstWeight * rightFirst.cdf(x) + (1 - rightFirstWeight) * rightSecond.cdf(x)
        return top1 * right + (1 - top1) * wrong.cdf(x)
    }

    /// The confidence of a right answer.
    @inline(__always)
    func whenRight(_ stream: RandomStream) -> Double {
        let useFirst = rightFirstWeight >= 1 || stream.nextUniform() < rightFirstWeight
        let x = useFirst ? rightFirst.sample(stream) : rightSecond.sample(stream)
        return floor + (1 - floor) * x
    }

    /// The confidence of a wrong answer.
    @inline(__always)
    func whenWrong(_ stream: RandomStream) -> Double {
        floor + (1 - floor) * wrong.sample(stream)
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
@testable import NumericCore
import XCTest

/// The ziggurat behind `RandomStream.nextExponential()`. Fixed seeds, so every check below
/// either always passes or always fails; tolerances are 4.5 standard errors (two-sided level
/// about 7·10⁻⁶ under the normal approximation) unless stated.
final class ExponentialZigguratTests: XCTestCase {
    /// Every layer has the same area v, the abscissae fall to 0, and the base box holds the tail.
    func testLayersHaveEqualAreas() {
        let x = ExponentialZiggurat.table, f = ExponentialZiggurat.table + 257
        let v = ExponentialZiggurat.layerArea, r = ExponentialZiggurat.tailStart
        XCTAssertEqual(x[1], r)
        XCTAssertEqual(x[256], 0)
        XCTAssertEqual(f[256], 1)
        XCTAssertEqual(x[0] * f[1], v, accuracy: 1e-15)  // base box: r·f(r) + tail f(r) = v
        XCTAssertEqual(r * f[1] + f[1], v, accuracy: 1e-12)
        for i in 1..<256 {
            XCTAssertGreaterThan(x[i], x[i + 1], "layer \(i)")
            XCTAssertEqual(f[i], exp(-x[i]), "layer \(i)")
        }
        for i in 1..<255 { XCTAssertEqual(x[i] * (f[i + 1] - f[i]), v, accuracy: v * 1e-9, "layer \(i)") }
        // The top layer closes at height 1 up to the rounding of the recursion.
        XCTAssertEqual(x[255] * (1 - f[255]), v, accuracy: v * 1e-6)
    }

    /// n = 10⁶ draws: the mean (sd 1/√n), the second moment (E X² = 2, Var X² = 20) and the
    /// tail beyond r (p = e^−r ≈ 4.5·10⁻⁴, drawn by the tail branch) and beyond 10.
    func testMomentsAndTail() {
        let rng = RandomStream(seed: 2026, replication: 0, name: "ziggurat")
        let n = 1_000_000
        var sum = 0.0, sumSquares = 0.0, beyondR = 0, beyond10 = 0
        for _ in 0..<n {
            let x = rng.nextExponential()
            XCTAssertGreaterThanOrEqual(x, 0)
            sum += x
            sumSquares += x * x
            if x > ExponentialZiggurat.tailStart { beyondR += 1 }
            if x > 10 { beyond10 += 1 }
        }
        let count = Double(n)
        XCTAssertEqual(sum / count, 1, accuracy: 4.5 / count.squareRoot())
        XCTAssertEqual(sumSquares / count, 2, accuracy: 4.5 * (20 / count).squareRoot())
        for (observed, threshold) in [(beyondR, ExponentialZiggurat.tailStart), (beyond10, 10)] {
            let p = exp(-threshold)
            XCTAssertEqual(Double(observed), count * p, accuracy: 4.5 * (count * p * (1 - p)).squareRoot(),
                           "P(X > \(threshold))")
        }
    }

    /// Kolmogorov–Smirnov distance of 200,000 draws from 1 − e⁻ˣ below the 0.001-level
    /// critical value 1.949/√n (asymptotic), and the same draws for both generators.
    func testKolmogorovSmirnovAgainstTheExponentialCDF() {
        for generator in [RandomGenerator.xoshiro256StarStar, .mt19937] {
            let rng = RandomStream(seed: 99, replication: 1, name: "ks", generator: generator)
            let n = 200_000
            let sorted = (0..<n).map { _ in rng.nextExponential() }.sorted()
            var distance = 0.0
            for (k, x) in sorted.enumerated() {
                let cdf = 1 - exp(-x)
                distance = max(distance, Double(k + 1) / Double(n) - cdf, cdf - Double(k) / Double(n))
            }
            XCTAssertLessThan(distance, 1.949 / Double(n).squareRoot(), "\(generator)")
        }
    }

    /// Same stream, same variates.
    func testDeterministic() {
        let a = RandomStream(seed: 5, replication: 2, name: "same")
        let b = RandomStream(seed: 5, replication: 2, name: "same")
        for _ in 0..<10_000 { XCTAssertEqual(a.nextExponential(), b.nextExponential()) }
    }
}

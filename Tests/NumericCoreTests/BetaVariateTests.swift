// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL
import XCTest
import NumericCore

/// The Beta sampler behind the confidence model (two Marsaglia–Tsang gammas), against GSL's
/// Beta CDF. Kolmogorov–Smirnov: with n draws, √n·sup|F_n − F| exceeds 1.949 with probability
/// 0.1 % under the null; n = 20 000 per shape, fixed seeds.
final class BetaVariateTests: XCTestCase {
    func testBetaDrawsFollowTheBetaDistribution() {
        // Shapes of the confidence model (top1 0.7, K = 10, s = 2: α = 4/3, β = 2/3, and the
        // α + 1, β + 1 variants), below 1 on both sides, and a concentrated one.
        let shapes: [(Double, Double)] = [(4.0 / 3, 2.0 / 3), (7.0 / 3, 2.0 / 3), (4.0 / 3, 5.0 / 3),
                                          (0.3, 0.2), (50, 10)]
        let n = 20_000
        for (i, (a, b)) in shapes.enumerated() {
            let beta = BetaVariate(alpha: a, beta: b)
            let stream = RandomStream(seed: 99, replication: 0, name: "beta-\(i)")
            let draws = (0..<n).map { _ in beta.sample(stream) }.sorted()
            var d = 0.0
            for (j, x) in draws.enumerated() {
                let f = gsl_cdf_beta_P(x, a, b)
                d = max(d, abs(Double(j + 1) / Double(n) - f), abs(f - Double(j) / Double(n)))
            }
            XCTAssertLessThan(d * Double(n).squareRoot(), 1.949, "Beta(\(a), \(b))")
        }
    }

    /// Point masses: β = 0 gives 1, α = 0 gives 0, without touching the stream.
    func testDegenerateShapesAreConstants() {
        let stream = RandomStream(seed: 1, replication: 0, name: "degenerate")
        XCTAssertEqual(BetaVariate(alpha: 2, beta: 0).sample(stream), 1)
        XCTAssertEqual(BetaVariate(alpha: 0, beta: 2).sample(stream), 0)
        let fresh = RandomStream(seed: 1, replication: 0, name: "degenerate")
        XCTAssertEqual(stream.nextUInt64(), fresh.nextUInt64())
    }
}

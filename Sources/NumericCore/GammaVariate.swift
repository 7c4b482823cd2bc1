// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Draws from Gamma(shape k, scale 1) on a `RandomStream`'s uniforms, by Marsaglia and Tsang's
/// squeeze method ("A simple method for generating gamma variables", ACM TOMS 26(3), 2000);
/// for k < 1, Gamma(k) = Gamma(k + 1)·U^(1/k). The normal variates are Φ⁻¹(U) (GSL).
///
/// A plain value with no references, so the per-request path copies no reference-counted
/// storage (GSL's `gsl_ran_gamma` through `Sampler` cost about twice as much per answer).
public struct GammaVariate: Sendable {
    public let shape: Double
    /// d = k' − 1/3 and c = 1/√(9d), with k' = k for k ≥ 1, else k + 1.
    private let d: Double
    private let c: Double
    /// 1/k when k < 1 (the boost U^(1/k)), else 0.
    private let inverseShape: Double

    /// `shape` finite and > 0.
    public init(shape: Double) {
        precondition(shape > 0 && shape.isFinite, "gamma shape must be finite and > 0")
        self.shape = shape
        let k = shape < 1 ? shape + 1 : shape
        d = k - 1.0 / 3
        c = 1 / (9 * d).squareRoot()
        inverseShape = shape < 1 ? 1 / shape : 0
    }

    /// One draw (≥ 0; it underflows to 0 only for tiny shapes).
    @inline(__always)
    public func sample(_ stream: RandomStream) -> Double {
        var result: Double
        while true {
            var x: Double, v: Double
            repeat {
                x = gsl_cdf_ugaussian_Pinv(stream.nextUniform())
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = stream.nextUniform()
            let x2 = x * x
            if u < 1 - 0.0331 * x2 * x2 || log(u) < 0.5 * x2 + d * (1 - v + log(v)) {
                result = d * v
                break
            }
        }
        if inverseShape != 0 { result *= pow(stream.nextUniform(), inverseShape) }
        return result
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard exponential variates (mean 1) by the ziggurat method of Marsaglia and Tsang
/// ("The Ziggurat Method for Generating Random Variables", J. Stat. Softw. 5(8), 2000), with
/// 256 layers of equal area v under f(x) = e⁻ˣ, in double precision and with the layer index
/// and the abscissa taken from disjoint bits of one 64-bit word (Doornik's 2005 remedy for the
/// original's correlation between them).
///
/// Layers: x₁ = r, xᵢ₊₁ = −ln(v / xᵢ + e^−xᵢ), x₂₅₆ = 0; layer i ≥ 1 is [0, xᵢ] × [f(xᵢ), f(xᵢ₊₁)]
/// and layer 0 is the base [0, r] × [0, f(r)] with the tail beyond r, drawn as a box of width
/// x₀ = v / f(r). A draw picks a layer i and x = U·xᵢ: when x < xᵢ₊₁ the point lies under the
/// curve whatever its height and x is returned (about 98.9 % of draws: one 64-bit word, one
/// multiplication, one comparison — no logarithm). Otherwise layer 0 returns r + Exp(1) from
/// the tail (memorylessness), and the other layers accept x when a uniform height in
/// [f(xᵢ), f(xᵢ₊₁)] falls below f(x), or start again. The result is exactly exponential up to
/// the 2⁻⁵³ resolution of U (tests: moments, the tail, and a Kolmogorov–Smirnov test).
@usableFromInline
enum ExponentialZiggurat {
    /// r = x₁, the start of the tail, and v, each layer's area (Marsaglia and Tsang's values
    /// for 256 layers).
    static let tailStart = 7.69711747013104972
    static let layerArea = 0.0039496598225815571993

    /// x₀…x₂₅₆ followed by f(x₀)…f(x₂₅₆): 514 values, built once and never freed.
    // Immutable after its one-time initialization, so sharing it between threads is safe.
    @usableFromInline nonisolated(unsafe) static let table: UnsafePointer<Double> = {
        let n = 256
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 2 * (n + 1))
        let x = table, f = table + (n + 1)
        x[0] = layerArea / exp(-tailStart)
        x[1] = tailStart
        for i in 1..<(n - 1) { x[i + 1] = -log(layerArea / x[i] + exp(-x[i])) }
        x[n] = 0
        for i in 0...n { f[i] = exp(-x[i]) }
        return UnsafePointer(table)
    }()

    /// One standard exponential variate from `rng`, with `table` = `ExponentialZiggurat.table`.
    @inlinable @inline(__always)
    static func draw(_ rng: RandomStream, table: UnsafePointer<Double>) -> Double {
        let bits = rng.nextUInt64()
        let i = Int(truncatingIfNeeded: bits & 0xFF)
        let x = Double(bits >> 11) * 0x1p-53 * table[i]
        if x < table[i + 1] { return x }
        return drawOutsideCore(rng, table: table, layer: i, x: x)
    }

    /// The rare draws: the tail of layer 0, and the wedges of the others (a rejected wedge
    /// point starts a new draw).
    @usableFromInline
    static func drawOutsideCore(_ rng: RandomStream, table: UnsafePointer<Double>, layer i: Int, x: Double) -> Double {
        if i == 0 { return tailStart - log(rng.nextUniform()) }
        let f = table + 257
        if f[i] + rng.nextUniform() * (f[i + 1] - f[i]) < exp(-x) { return x }
        return draw(rng, table: table)
    }
}

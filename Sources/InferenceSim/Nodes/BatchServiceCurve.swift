// SPDX-License-Identifier: GPL-3.0-or-later
import SimCore

/// How long a batch takes from the service time of one request (docs/cost-models.md,
/// "Dynamic batching"): t(b) = t₁ · (1 + α · (b − 1)), with t₁ one draw of the model's
/// single-request service time. α = 0 makes a batch cost one request (perfect batching),
/// α = 1 makes it cost b requests (no gain).
struct BatchServiceCurve: Sendable, Equatable {
    /// α: the extra time of each request beyond the first, relative to t₁ (≥ 0).
    let alpha: Double

    init(alpha: Double) {
        precondition(alpha >= 0, "alpha is not negative")
        self.alpha = alpha
    }

    /// The factor t(b) / t₁ for a batch of `size` ≥ 1 requests.
    @inline(__always)
    func factor(size: Int) -> Double {
        1 + alpha * Double(size - 1)
    }
}

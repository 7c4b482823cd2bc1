// SPDX-License-Identifier: GPL-3.0-or-later

/// Thermal throttling of a kind of hardware (docs/cost-models.md, "Thermal throttling"):
/// after `afterSeconds` of sustained activity its service times are divided by
/// `speedFactor`, until it has been idle for `recoverySeconds`.
public struct ThermalSpec: Sendable, Equatable {
    public var afterSeconds: Double
    public var speedFactor: Double
    public var recoverySeconds: Double

    public init(afterSeconds: Double, speedFactor: Double, recoverySeconds: Double) {
        self.afterSeconds = afterSeconds
        self.speedFactor = speedFactor
        self.recoverySeconds = recoverySeconds
    }
}

extension ThermalSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case afterSeconds, speedFactor, recoverySeconds
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later

/// A kind of processor a node runs models on: a CPU server, a GPU, an edge GPU module, or a
/// cloud instance type. Reusable by name from `NodeSpec.hardware` and `ModelSpec.serviceTimeOn`.
public struct HardwareSpec: Sendable, Equatable {
    public var name: String
    public var kind: HardwareKind
    /// Memory available to models (GPU memory for GPUs, RAM for CPUs), bytes.
    public var memoryBytes: Double?
    /// Power drawn when no worker is busy, watts.
    public var idlePowerWatts: Double
    /// Power drawn when every worker is busy, watts (linear in between; see docs/cost-models.md).
    public var busyPowerWatts: Double
    /// Named power modes (edge modules): each caps the busy power and scales the speed.
    public var powerModes: [PowerMode]
    /// Price per hour of one unit (a cloud instance, or the amortised cost of a server), dollars.
    public var pricePerHour: Double?
    /// Parallel workers one unit offers by default (GPU streams, CPU cores given to serving).
    public var workers: Int?
    /// Thermal throttling, if the hardware throttles.
    public var thermal: ThermalSpec?

    public init(name: String, kind: HardwareKind, memoryBytes: Double? = nil, idlePowerWatts: Double = 0,
                busyPowerWatts: Double = 0, powerModes: [PowerMode] = [], pricePerHour: Double? = nil,
                workers: Int? = nil) {
        self.name = name
        self.kind = kind
        self.memoryBytes = memoryBytes
        self.idlePowerWatts = idlePowerWatts
        self.busyPowerWatts = busyPowerWatts
        self.powerModes = powerModes
        self.pricePerHour = pricePerHour
        self.workers = workers
    }
}

/// Processor families.
public enum HardwareKind: String, Sendable, Equatable, CaseIterable {
    case cpu, gpu
}

/// An operating point of a power-limited device (for example an edge module's 15 W mode).
/// In this mode busy power is at most `powerCapWatts` and service times are divided by
/// `speedFactor` (1 = full speed, 0.5 = half speed).
public struct PowerMode: Sendable, Equatable {
    public var name: String
    public var powerCapWatts: Double
    public var speedFactor: Double

    public init(name: String, powerCapWatts: Double, speedFactor: Double) {
        self.name = name
        self.powerCapWatts = powerCapWatts
        self.speedFactor = speedFactor
    }
}

extension HardwareSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case name, kind, memoryBytes, idlePowerWatts, busyPowerWatts, powerModes, pricePerHour, workers
        case thermal
    }
}

/// Written as its name in the scenario file (`rawValue`).
extension HardwareKind: Encodable {}

extension PowerMode: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case name, powerCapWatts, speedFactor
    }
}

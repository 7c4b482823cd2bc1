// SPDX-License-Identifier: GPL-3.0-or-later

/// How busy a shared host's cores were during measurement (summary.json `hosts.<name>`). In a
/// run's summary the figures are summed over replications.
public struct HostLoad: Sendable, Equatable {
    public var name: String
    /// The host's cores.
    public var cores: Int
    /// ∫ min(N, cores) dt over the measured window, core-seconds (N: requests in service on
    /// the host's nodes).
    public var busyCoreSeconds: Double
    /// Simulated seconds measured.
    public var measuredSeconds: Double

    public init(name: String, cores: Int, busyCoreSeconds: Double, measuredSeconds: Double) {
        self.name = name
        self.cores = cores
        self.busyCoreSeconds = busyCoreSeconds
        self.measuredSeconds = measuredSeconds
    }

    /// Busy core-time over available core-time, 0...1 (0 when nothing was measured).
    public var utilization: Double {
        let available = Double(cores) * measuredSeconds
        return available > 0 ? busyCoreSeconds / available : 0
    }

    /// Per host, the sums over `replications` (each listing the same hosts in the same order).
    static func summed(_ replications: [[HostLoad]]) -> [HostLoad] {
        guard var total = replications.first else { return [] }
        for other in replications.dropFirst() {
            for i in total.indices {
                total[i].busyCoreSeconds += other[i].busyCoreSeconds
                total[i].measuredSeconds += other[i].measuredSeconds
            }
        }
        return total
    }
}

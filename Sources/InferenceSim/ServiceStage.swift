// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import SimCore

/// One stage of a deployment resolved for a replication: the station it runs at and the
/// sampler and random stream of its service time.
final class ServiceStage {
    let sampler: Sampler
    let stream: RandomStream
    /// Factor on drawn service times: the part's share of the work (distributed; else 1)
    /// divided by the speed of the node's power mode (0 < speed ≤ 1).
    let scale: Double
    /// Not retained (the station owns the flow that owns this stage); unmanaged so that the
    /// hot path reaches it without reference counting. `Simulation` keeps it alive.
    private let station: Unmanaged<FIFOStation>

    init(sampler: Sampler, stream: RandomStream, scale: Double = 1, station: FIFOStation) {
        self.sampler = sampler
        self.stream = stream
        self.scale = scale
        self.station = .passUnretained(station)
    }

    /// `job` arrives at the stage's station now.
    @inline(__always)
    func arrive(_ job: Int64, engine: Engine) {
        station._withUnsafeGuaranteedRef { $0.arrive(job, engine: engine) }
    }

    /// A service time drawn from the stage's stream, in whole nanoseconds.
    @inline(__always)
    func drawServiceTime() -> SimTime {
        SimTimeConversion.nanoseconds(fromSeconds: scale == 1 ? sampler.sample(stream) : sampler.sample(stream) * scale)
    }
}

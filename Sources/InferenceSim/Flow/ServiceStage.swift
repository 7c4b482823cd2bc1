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
    /// Load-dependent factor (`serviceTimeScaling`), FIFO stations only; nil: none.
    let scaling: InFlightScaling?
    /// scale is 1 and there is no scaling: the draw is used as it is.
    private let plain: Bool
    /// Not retained (the station owns the flow that owns this stage), so that the hot path
    /// reaches it without reference counting; `Simulation` keeps it alive.
    /// nil when the node batches (`batching`).
    private let station: UnownedRef<FIFOStation>?
    /// When the node batches: its batching station (unretained, as `station`), the stage's
    /// job class there (its model's), and the model's batch curve.
    private let batching: (station: UnownedRef<BatchStation>, jobClass: Int, curve: BatchServiceCurve)?
    /// When the node is a processor-sharing server (`concurrency:`): its station (unretained, as `station`).
    private let sharing: UnownedRef<ProcessorSharingStation>?
    /// The protocol's `serverWork` on the called node's worker, added to every drawn service
    /// time (nil: none).
    var serverWork: Transport.CallOverheadDraw?

    init(sampler: Sampler, stream: RandomStream, scale: Double = 1, scaling: InFlightScaling? = nil, station: FIFOStation) {
        self.sampler = sampler
        self.stream = stream
        self.scale = scale
        self.scaling = scaling
        plain = scale == 1 && scaling == nil
        self.station = UnownedRef(station)
        batching = nil
        sharing = nil
    }

    /// A stage at a processor-sharing node (`ProcessorSharingStation`).
    init(sampler: Sampler, stream: RandomStream, scale: Double = 1, sharingStation: ProcessorSharingStation) {
        self.sampler = sampler
        self.stream = stream
        self.scale = scale
        scaling = nil
        plain = scale == 1
        station = nil
        batching = nil
        sharing = UnownedRef(sharingStation)
    }

    /// A stage at a batching node: its jobs are class `jobClass` of `station`.
    init(sampler: Sampler, stream: RandomStream, scale: Double = 1, batchStation: BatchStation, jobClass: Int,
         curve: BatchServiceCurve) {
        self.sampler = sampler
        self.stream = stream
        self.scale = scale
        scaling = nil
        plain = scale == 1
        station = nil
        batching = (UnownedRef(batchStation), jobClass, curve)
        sharing = nil
    }

    /// `job` arrives at the stage's station now.
    @inline(__always)
    func arrive(_ job: Int64, engine: Engine) {
        if let station {
            station.withObject { $0.arrive(job, engine: engine) }
        } else if let batching {
            batching.station.withObject { $0.arrive(job, jobClass: batching.jobClass, engine: engine) }
        } else if let sharing {
            sharing.withObject { $0.arrive(job, engine: engine) }
        }
    }

    /// A service time drawn from the stage's stream, in whole nanoseconds, plus the
    /// protocol's `serverWork` when it has one.
    @inline(__always)
    func drawServiceTime() -> SimTime {
        let time = SimTimeConversion.nanoseconds(fromSeconds: plain ? sampler.sample(stream) : scaledDraw())
        guard let serverWork else { return time }
        return SimTimeConversion.adding(time, serverWork.next())
    }

    /// A draw times `scale`, and times f(n in the node) with `scaling` (InFlightScaling).
    @inline(__always)
    private func scaledDraw() -> Double {
        let draw = sampler.sample(stream) * scale
        guard let scaling, let station else { return draw }
        return draw * station.withObject { scaling.factor(at: $0) }
    }

    /// The service time of a batch of `size` requests at a batching node, t₁ · (1 + α(b − 1))
    /// with t₁ drawn from the stage's stream and scaled as a single request's, in whole ns;
    /// plus one `serverWork` per request when the protocol has one.
    func drawServiceTime(batchOf size: Int) -> SimTime {
        let factor = batching?.curve.factor(size: size) ?? Double(size)
        var time = SimTimeConversion.nanoseconds(fromSeconds: sampler.sample(stream) * scale * factor)
        if let serverWork {
            for _ in 0..<size { time = SimTimeConversion.adding(time, serverWork.next()) }
        }
        return time
    }
}

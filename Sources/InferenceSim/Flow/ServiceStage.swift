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
    /// Where the stage's jobs are served, exactly one of the four. Not retained (the station
    /// owns the flow that owns this stage), so that the hot path reaches it without reference
    /// counting; `Simulation` keeps it alive. `station`: a FIFO node.
    private let station: UnownedRef<FIFOStation>?
    /// When the node batches: its batching station, the stage's job class there (its model's),
    /// and the model's batch curve.
    private let batching: (station: UnownedRef<BatchStation>, jobClass: Int, curve: BatchServiceCurve)?
    /// When the node is a processor-sharing server (`concurrency:`): its station.
    private let sharing: UnownedRef<ProcessorSharingStation>?
    /// When the node shares a host's cores (`host:`): its station there.
    private let hosted: UnownedRef<HostedStation>?
    /// What the stage adds to its drawn times beyond the model (nil for most stages, so that
    /// the hot path checks one optional): the node's slow periods, the protocol's `serverWork`,
    /// and whether its job is the send of an overlapped call into the next stage.
    private let extras: Extras?

    final class Extras {
        /// The protocol's `serverWork` on the called node's worker, added to every drawn
        /// service time (nil: none).
        let serverWork: Transport.CallOverheadDraw?
        /// This stage's index when its job is the send of a call into the next stage whose
        /// receipt overlaps it (`OverlappedReceipts`); nil: not.
        let sendsOverlappedCall: Int?
        /// The node's slow periods (`slowPeriods`), FIFO stations only; nil: none. Shared by
        /// the stages at the node.
        let slowPeriods: SlowPeriods?

        init(serverWork: Transport.CallOverheadDraw?, sendsOverlappedCall: Int?, slowPeriods: SlowPeriods?) {
            self.serverWork = serverWork
            self.sendsOverlappedCall = sendsOverlappedCall
            self.slowPeriods = slowPeriods
        }

        /// `time` (the scaled draw, ns) times the slow periods' factor at the service's start
        /// (1 or F; the service keeps it even if the state switches before it ends); `serverWork`
        /// is added after, unscaled.
        func slowed(_ time: SimTime) -> SimTime {
            guard let slowPeriods else { return time }
            let factor = slowPeriods.factorNow()
            return factor == 1 ? time : SimTimeConversion.nanoseconds(fromSeconds: Double(time) * 1e-9 * factor)
        }
    }

    /// The protocol's `serverWork` on the called node's worker (nil: none).
    var serverWork: Transport.CallOverheadDraw? { extras?.serverWork }

    private init(sampler: Sampler, stream: RandomStream, scale: Double, scaling: InFlightScaling?,
                 slowPeriods: SlowPeriods? = nil, serverWork: Transport.CallOverheadDraw?, sendsOverlappedCall: Int? = nil, station: UnownedRef<FIFOStation>?,
                 batching: (station: UnownedRef<BatchStation>, jobClass: Int, curve: BatchServiceCurve)?,
                 sharing: UnownedRef<ProcessorSharingStation>?, hosted: UnownedRef<HostedStation>? = nil) {
        self.sampler = sampler
        self.stream = stream
        self.scale = scale
        self.scaling = scaling
        plain = scale == 1 && scaling == nil
        extras = serverWork != nil || sendsOverlappedCall != nil || slowPeriods != nil
            ? Extras(serverWork: serverWork, sendsOverlappedCall: sendsOverlappedCall, slowPeriods: slowPeriods) : nil
        self.station = station
        self.batching = batching
        self.sharing = sharing
        self.hosted = hosted
    }

    /// A stage at a FIFO node, its draws scaled by `scaling` of the requests in the node and by
    /// the node's `slowPeriods` factor at the service's start.
    convenience init(sampler: Sampler, stream: RandomStream, scale: Double = 1, scaling: InFlightScaling? = nil,
                     slowPeriods: SlowPeriods? = nil, serverWork: Transport.CallOverheadDraw? = nil,
                     sendsOverlappedCall: Int? = nil, station: FIFOStation) {
        self.init(sampler: sampler, stream: stream, scale: scale, scaling: scaling, slowPeriods: slowPeriods,
                  serverWork: serverWork,
                  sendsOverlappedCall: sendsOverlappedCall,
                  station: UnownedRef(station), batching: nil, sharing: nil)
    }

    /// A stage at a processor-sharing node (`ProcessorSharingStation`).
    convenience init(sampler: Sampler, stream: RandomStream, scale: Double = 1,
                     serverWork: Transport.CallOverheadDraw? = nil, sendsOverlappedCall: Int? = nil,
                     sharingStation: ProcessorSharingStation) {
        self.init(sampler: sampler, stream: stream, scale: scale, scaling: nil, serverWork: serverWork,
                  sendsOverlappedCall: sendsOverlappedCall,
                  station: nil, batching: nil, sharing: UnownedRef(sharingStation))
    }

    /// A stage at a node on a shared host (`HostedStation`).
    convenience init(sampler: Sampler, stream: RandomStream, scale: Double = 1,
                     serverWork: Transport.CallOverheadDraw? = nil, sendsOverlappedCall: Int? = nil,
                     hostedStation: HostedStation) {
        self.init(sampler: sampler, stream: stream, scale: scale, scaling: nil, serverWork: serverWork,
                  sendsOverlappedCall: sendsOverlappedCall,
                  station: nil, batching: nil, sharing: nil, hosted: UnownedRef(hostedStation))
    }

    /// A stage at a batching node: its jobs are class `jobClass` of `batchStation`.
    convenience init(sampler: Sampler, stream: RandomStream, scale: Double = 1,
                     serverWork: Transport.CallOverheadDraw? = nil, batchStation: BatchStation, jobClass: Int,
                     curve: BatchServiceCurve) {
        self.init(sampler: sampler, stream: stream, scale: scale, scaling: nil, serverWork: serverWork,
                  station: nil, batching: (UnownedRef(batchStation), jobClass, curve), sharing: nil)
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
        } else if let hosted {
            hosted.withObject { $0.arrive(job, engine: engine) }
        }
    }

    /// A service time drawn from the stage's stream, in whole nanoseconds, times the slow
    /// periods' factor when the node has them, plus the protocol's `serverWork` when it has one.
    @inline(__always)
    func drawServiceTime() -> SimTime {
        let time = SimTimeConversion.nanoseconds(fromSeconds: plain ? sampler.sample(stream) : scaledDraw())
        guard let extras else { return time }
        let slowed = extras.slowPeriods == nil ? time : extras.slowed(time)
        guard let serverWork = extras.serverWork else { return slowed }
        return SimTimeConversion.adding(slowed, serverWork.next())
    }

    /// `drawServiceTime()` for the job of request `slot` that starts now; when the stage's job
    /// is an overlapped call's send, the call leaves now (`OverlappedReceipts.sendStarts`).
    @inline(__always)
    func drawServiceTime(slot: Int, flow: RequestFlow) -> SimTime {
        let time = SimTimeConversion.nanoseconds(fromSeconds: plain ? sampler.sample(stream) : scaledDraw())
        guard let extras else { return time }
        return withExtras(extras, time, slot: slot, flow: flow)
    }

    @inline(never)  // off the hot path, kept out of it
    private func withExtras(_ extras: Extras, _ drawn: SimTime, slot: Int, flow: RequestFlow) -> SimTime {
        let time = extras.slowed(drawn)
        if let stage = extras.sendsOverlappedCall { flow.receipts.sendStarts(slot: slot, stage: stage, flow: flow) }
        guard let serverWork = extras.serverWork else { return time }
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

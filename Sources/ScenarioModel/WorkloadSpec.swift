// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// The workload kinds of the scenario format.
public enum WorkloadKind: String, Sendable, Equatable, CaseIterable {
    /// One image per request (classification).
    case image
    /// Segments of video streams (retrieval); see `VideoSpec`.
    case video
}

/// One stream of requests.
public struct WorkloadSpec: Sendable, Equatable {
    public var kind: WorkloadKind
    /// The node requests come from and answers return to (usually a `client`); `nil` means
    /// requests appear at the deployment's entry node and answers are taken there (no network).
    public var source: String?
    public var arrivals: ArrivalProcess
    /// Size of one request's payload, bytes; `nil` for none (0 bytes).
    public var payloadBytes: Distribution?
    /// Video only: the stream geometry.
    public var video: VideoSpec?
    /// When `source` is a node group: each member's relative share of the arrivals (one
    /// weight per member, ≥ 0, not all 0); nil spreads them uniformly.
    public var sourceWeights: [Double]?

    public init(kind: WorkloadKind, source: String? = nil, arrivals: ArrivalProcess,
                payloadBytes: Distribution? = nil, video: VideoSpec? = nil, sourceWeights: [Double]? = nil) {
        self.sourceWeights = sourceWeights
        self.kind = kind
        self.source = source
        self.arrivals = arrivals
        self.payloadBytes = payloadBytes
        self.video = video
    }
}

/// How requests arrive (docs/workloads.md).
public enum ArrivalProcess: Sendable, Equatable {
    /// Poisson arrivals at `rate` requests per second.
    case poisson(rate: Double)
    /// Markov-modulated Poisson: Poisson at the current state's rate; each state lasts an
    /// exponential time of its mean duration, then the next state in order follows
    /// (cyclically). Two states give the usual bursty on/off model.
    case mmpp(states: [MMPPState])
    /// Non-homogeneous Poisson whose rate is piecewise linear through `points` (time in
    /// seconds within [0, period), sorted; rate per second), repeating every `period`; from
    /// the last point the rate runs linearly to the first point of the next period.
    case diurnal(points: [RatePoint], period: Double)
    /// Replay of recorded arrival times (seconds from the start, non-decreasing). The trace
    /// repeats, shifted by its last time, when the run outlasts it.
    case trace(timestamps: [Double])
    /// `streams` periodic sources, each sending one request every `interval` seconds,
    /// staggered evenly over the first interval (video segments).
    case streams(count: Int, interval: Double)

    /// Long-run mean arrival rate, per second.
    public var meanRate: Double {
        switch self {
        case .poisson(let rate):
            return rate
        case .mmpp(let states):
            let time = states.reduce(0) { $0 + $1.meanDuration }
            return time > 0 ? states.reduce(0) { $0 + $1.rate * $1.meanDuration } / time : 0
        case .diurnal(let points, let period):
            return RatePoint.meanRate(points, period: period)
        case .trace(let timestamps):
            guard let last = timestamps.last, last > 0 else { return 0 }
            return Double(timestamps.count) / last
        case .streams(let count, let interval):
            return interval > 0 ? Double(count) / interval : 0
        }
    }
}

/// One state of an MMPP.
public struct MMPPState: Sendable, Equatable {
    /// Arrival rate in this state, per second.
    public var rate: Double
    /// Mean time spent in this state, seconds.
    public var meanDuration: Double

    public init(rate: Double, meanDuration: Double) {
        self.rate = rate
        self.meanDuration = meanDuration
    }
}

/// A point of a piecewise-linear rate curve.
public struct RatePoint: Sendable, Equatable {
    /// Seconds from the start of the period.
    public var time: Double
    /// Arrivals per second at that time.
    public var rate: Double

    public init(time: Double, rate: Double) {
        self.time = time
        self.rate = rate
    }

    /// Mean of the periodic piecewise-linear curve through `points` (sorted by time, within
    /// [0, period)): linear between consecutive points, and from the last point to the first
    /// point of the next period.
    public static func meanRate(_ points: [RatePoint], period: Double) -> Double {
        guard let first = points.first, let last = points.last, period > 0 else { return 0 }
        var area = 0.0
        for (p, q) in zip(points, points.dropFirst()) {
            area += (p.rate + q.rate) / 2 * (q.time - p.time)
        }
        area += (last.rate + first.rate) / 2 * (period - last.time + first.time)
        return area / period
    }
}

/// The geometry of a video workload: each request is one segment of one stream.
public struct VideoSpec: Sendable, Equatable {
    /// Frames per second of each stream.
    public var fps: Double
    /// Seconds of video per segment (one request per segment and stream).
    public var segmentSeconds: Double
    /// Frames of a segment the models process (sampling); default fps × segment.
    public var framesProcessed: Int

    public init(fps: Double, segmentSeconds: Double, framesProcessed: Int? = nil) {
        self.fps = fps
        self.segmentSeconds = segmentSeconds
        self.framesProcessed = framesProcessed ?? max(1, Int((fps * segmentSeconds).rounded()))
    }
}

/// Written as its name in the scenario file (`rawValue`).
extension WorkloadKind: Encodable {}

extension WorkloadSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case kind, source, arrivals, payloadBytes, video, sourceWeights
    }
}

extension MMPPState: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case rate, meanDuration
    }
}

extension RatePoint: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case time, rate
    }
}

extension VideoSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case fps, segmentSeconds, framesProcessed
    }
}

/// `{PROCESS: {PARAMETER: value, ...}}`, e.g. `{"poisson": {"rate": 40.0}}`.
extension ArrivalProcess: Encodable {
    private enum Process: String, CodingKey {
        case poisson, mmpp, diurnal, trace, streams
    }

    private enum Parameter: String, CodingKey {
        case rate, states, points, period, timestamps, count, interval
    }

    public func encode(to encoder: any Encoder) throws {
        var processes = encoder.container(keyedBy: Process.self)
        func parameters(_ process: Process) -> KeyedEncodingContainer<Parameter> {
            processes.nestedContainer(keyedBy: Parameter.self, forKey: process)
        }
        switch self {
        case .poisson(let rate):
            var container = parameters(.poisson)
            try container.encode(rate, forKey: .rate)
        case .mmpp(let states):
            var container = parameters(.mmpp)
            try container.encode(states, forKey: .states)
        case .diurnal(let points, let period):
            var container = parameters(.diurnal)
            try container.encode(points, forKey: .points)
            try container.encode(period, forKey: .period)
        case .trace(let timestamps):
            var container = parameters(.trace)
            try container.encode(timestamps, forKey: .timestamps)
        case .streams(let count, let interval):
            var container = parameters(.streams)
            try container.encode(count, forKey: .count)
            try container.encode(interval, forKey: .interval)
        }
    }
}

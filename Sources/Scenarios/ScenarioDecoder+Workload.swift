// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel
import SimCore

extension ScenarioDecoder {
    static let workloadKeys = ["kind", "from", "arrivals", "payload", "weights"]
    /// Keys of a video workload given as streams (instead of `arrivals`).
    static let videoStreamKeys = ["streams", "fps", "segment", "framesProcessed"]
    /// Largest number of video streams of one workload (a guard against typos).
    static let maxStreams = 10_000_000

    /// `workload: [{kind: image|video, from?, arrivals, payload?}, ...]`, at least one. A
    /// video workload may give `streams`, `fps`, `segment` and `framesProcessed` instead of
    /// `arrivals`: one request per segment of each stream.
    mutating func decodeWorkloads(_ node: ScenarioNode, path: KeyPath) -> [WorkloadSpec]? {
        guard let items = sequence(node, path: path, minimum: 1, what: "workloads") else { return nil }
        let before = log.count
        var workloads: [WorkloadSpec] = []
        for (index, item) in items.enumerated() {
            let itemPath = path.appending(index: index)
            let kindName = Self.peek(item, "kind")
            let isImage = kindName == WorkloadKind.image.rawValue
            let reserved = isImage ? Dictionary(uniqueKeysWithValues: Self.videoStreamKeys.map {
                ($0, "`\($0)` describes video streams; this workload is `image`")
            }) : [:]
            guard let reader = MappingReader(item, path: itemPath, keys: Self.workloadKeys + (isImage ? [] : Self.videoStreamKeys),
                                             reserved: reserved, log: &log) else { continue }
            let itemBefore = log.count
            let kind = reader.required("kind", log: &log)
                .flatMap { choice($0, path: itemPath.appending("kind"), among: WorkloadKind.allCases.map(\.rawValue), what: "workload kind") }
                .flatMap(WorkloadKind.init(rawValue:))
            let source = reader["from"].flatMap { value -> String? in
                guard let name = string(value, path: itemPath.appending("from")) else { return nil }
                let located = References.Name(name: name, node: value, path: itemPath.appending("from"))
                references.nodeUses.append(located)
                references.sources.append(located)
                return name
            }
            let payload = reader["payload"].flatMap { distribution($0, path: itemPath.appending("payload"), kind: .size) }
            var arrivals: ArrivalProcess?
            var video: VideoSpec?
            let streamKey = Self.videoStreamKeys.first { reader.keyNode($0) != nil }
            if kind == .video, let streamKey {
                if let arrivalsKey = reader.keyNode("arrivals") {
                    log.error("a video workload takes either `arrivals` or streams (`\(streamKey)`, ...), not both", at: arrivalsKey,
                              path: itemPath.appending("arrivals"), hint: "remove `arrivals` to send one request per segment of each stream")
                } else if let streams = decodeStreams(reader, path: itemPath) {
                    (arrivals, video) = streams
                }
            } else {
                arrivals = reader.required("arrivals", log: &log,
                                           hint: kind == .video ? "e.g. `arrivals: {process: poisson, rate: 3.2/s}`, or `streams: 16, fps: 25, segment: 2s`"
                                               : "e.g. `arrivals: {process: poisson, rate: 3.2/s}`")
                    .flatMap { decodeArrivals($0, path: itemPath.appending("arrivals")) }
            }
            references.workloadSources.append(source.map { .init(name: $0, node: reader["from"]!, path: itemPath.appending("from")) })
            let weights = reader["weights"].flatMap { decodeSourceWeights($0, path: itemPath.appending("weights"), source: source) }
            if let kind, let arrivals, log.count == itemBefore {
                workloads.append(WorkloadSpec(kind: kind, source: source, arrivals: arrivals, payloadBytes: payload, video: video,
                                              sourceWeights: weights))
            }
        }
        return log.count == before ? workloads : nil
    }

    /// `streams, fps, segment, framesProcessed?` of a video workload.
    private mutating func decodeStreams(_ reader: MappingReader, path: KeyPath) -> (ArrivalProcess, VideoSpec)? {
        let streams = reader.required("streams", log: &log, hint: "the number of video streams, e.g. `streams: 16`")
            .flatMap { integer($0, path: path.appending("streams"), in: 1...Self.maxStreams) }
        let fps = reader.required("fps", log: &log, hint: "frames per second of each stream, e.g. `fps: 25`")
            .flatMap { number($0, path: path.appending("fps"), atLeast: 0, lowerOpen: true) }
        let segment = reader.required("segment", log: &log, hint: "seconds of video per request, e.g. `segment: 2s`")
            .flatMap { quantity($0, path: path.appending("segment"), kind: .time, positive: true) }
        let frames = reader["framesProcessed"].map { integer($0, path: path.appending("framesProcessed"), in: 1...Int(Int32.max)) }
        guard let streams, let fps, let segment, let frames = frames ?? .some(nil) else { return nil }
        let framesPerSegment = fps * segment
        if Double(streams) / segment > SimTimeConversion.nanosecondsPerSecond, let node = reader["segment"] {
            log.error("\(streams) streams each sending a request every \(node.scalarText ?? "") make more than 1e9 requests/s, one per nanosecond (the engine's time resolution)",
                      at: node, path: path.appending("segment"), hint: "lengthen `segment` or use fewer `streams`")
            return nil
        }
        if frames == nil, !(framesPerSegment.rounded() <= Double(Int32.max)), let node = reader["fps"] {
            log.error("fps × segment = \(Self.format(framesPerSegment)) frames per segment: at most \(Int32.max)", at: node,
                      path: path.appending("fps"), hint: "each request carries one segment's frames; lower `fps` or `segment`")
            return nil
        }
        if let frames, Double(frames) > framesPerSegment.rounded(.up), let node = reader["framesProcessed"] {
            log.error("`\(frames)` frames are more than a segment holds (fps × segment = \(Self.format(framesPerSegment)))",
                      at: node, path: path.appending("framesProcessed"))
            return nil
        }
        return (.streams(count: streams, interval: segment), VideoSpec(fps: fps, segmentSeconds: segment, framesProcessed: frames))
    }

    /// The text of `key` in a mapping, if `node` is a mapping holding it as a scalar.
    static func peek(_ node: ScenarioNode, _ key: String) -> String? {
        guard case .mapping(let entries) = node.content else { return nil }
        return entries.first { $0.key.scalarText == key }?.value.scalarText
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel
import SimCore

extension ScenarioDecoder {
    static let protocolKeys = ["requestOverhead", "responseOverhead", "payloadInflation", "codecThroughput",
                               "setupRoundTrips", "timeout", "retries", "backoff", "backoffMultiplier",
                               "poolSize", "streamsPerConnection", "idleTimeout", "callOverhead", "serverWork",
                               "serverWorkStarts", "callOverheadScaling"]

    /// `codecThroughput: unlimited`: encoding and decoding take no time.
    static let unlimitedCodec = "unlimited"

    /// `protocols: {rest: {requestOverhead: 350B, responseOverhead: 250B, payloadInflation: 1.3333,
    /// codecThroughput: 2Gbps, setupRoundTrips: 1}, grpc: {...}, queue: {...}}` — overrides of
    /// the protocols' defaults (docs/cost-models.md). `codecThroughput` is the combined encode
    /// and decode speed, written as a bandwidth (or `unlimited`).
    mutating func decodeProtocols(_ node: ScenarioNode, path: KeyPath) -> [ProtocolSpec]? {
        guard let top = MappingReader(node, path: path, keys: CallProtocol.allCases.map(\.rawValue), log: &log) else {
            return nil
        }
        let before = log.count
        var specs: [ProtocolSpec] = []
        for call in CallProtocol.allCases {
            guard let entry = top[call.rawValue] else { continue }
            let entryPath = path.appending(call.rawValue)
            guard let reader = MappingReader(entry, path: entryPath, keys: Self.protocolKeys, log: &log) else { continue }
            specs.append(decodeProtocolSettings(reader, call: call, path: entryPath))
            if let key = reader.keyNode("callOverheadScaling") {
                references.protocolOverheadScalings[call] = .init(name: call.rawValue, node: key,
                                                                  path: entryPath.appending("callOverheadScaling"))
            }
            if let starts = reader["serverWorkStarts"], starts.scalarText == ServerWorkStart.withSend.rawValue {
                log.error("`serverWorkStarts: withSend` overlaps one call's receipt with its caller's stage before it, so it is set per call",
                          at: reader.keyNode("serverWorkStarts")!, path: entryPath.appending("serverWorkStarts"),
                          hint: "set it in the `call:` of a pipeline stage after the first (e.g. `stages: [..., {model: m2, on: s2, via: \(call.rawValue), call: {serverWorkStarts: withSend}}]`)")
            }
        }
        return log.count == before ? specs : nil
    }

    /// The settings of one protocol (`protocols.<p>`, or a placement's `call:` for its `via`):
    /// overheads, codec, set-up, fixed per-call time, timeout and retries, connection pool.
    mutating func decodeProtocolSettings(_ reader: MappingReader, call: CallProtocol, path: KeyPath) -> ProtocolSpec {
        var spec = ProtocolSpec(call: call)
        spec.requestOverheadBytes = reader["requestOverhead"]
            .flatMap { quantity($0, path: path.appending("requestOverhead"), kind: .size) }
        spec.responseOverheadBytes = reader["responseOverhead"]
            .flatMap { quantity($0, path: path.appending("responseOverhead"), kind: .size) }
        spec.payloadInflation = reader["payloadInflation"].flatMap {
            number($0, path: path.appending("payloadInflation"), atLeast: 1,
                   why: "the factor on payload bytes cannot shrink them (base64 is 4/3)")
        }
        spec.codecSecondsPerByte = reader["codecThroughput"].flatMap { node in
            // `unlimited`: no codec time (a measured `callOverhead` that already holds it).
            node.scalarText == Self.unlimitedCodec ? 0
                : quantity(node, path: path.appending("codecThroughput"), kind: .bandwidth, positive: true).map { 8 / $0 }
        }
        spec.setupRoundTrips = reader["setupRoundTrips"]
            .flatMap { integer($0, path: path.appending("setupRoundTrips"), in: 0...10) }
        spec.callOverhead = reader["callOverhead"]
            .flatMap { distribution($0, path: path.appending("callOverhead"), kind: .time) }
        spec.callOverheadScaling = reader["callOverheadScaling"].flatMap { node in
            if call == .queue {
                log.error("`callOverheadScaling` scales a call's overhead with the called node's load, and a `via: queue` call pays its overhead on the way to the broker, not to the node",
                          at: reader.keyNode("callOverheadScaling")!, path: path.appending("callOverheadScaling"),
                          hint: "remove `callOverheadScaling`, or call the node with `rest` or `grpc`")
                return nil
            }
            return decodeCallOverheadScaling(node, path: path.appending("callOverheadScaling"))
        }
        spec.serverWork = reader["serverWork"]
            .flatMap { distribution($0, path: path.appending("serverWork"), kind: .time) }
        spec.serverWorkStarts = reader["serverWorkStarts"].flatMap {
            choice($0, path: path.appending("serverWorkStarts"), among: ServerWorkStart.allCases.map(\.rawValue),
                   what: "when the server's work starts").flatMap(ServerWorkStart.init(rawValue:))
        }
        let timeout = reader["timeout"].flatMap { quantity($0, path: path.appending("timeout"), kind: .time, positive: true) }
        let retries = reader["retries"].flatMap { integer($0, path: path.appending("retries"), in: 0...100) }
        let backoff = reader["backoff"].flatMap { quantity($0, path: path.appending("backoff"), kind: .time) }
        let multiplier = reader["backoffMultiplier"].flatMap {
            number($0, path: path.appending("backoffMultiplier"), atLeast: 1,
                   why: "each retry waits at least as long as the one before")
        }
        if let timeout, retries ?? 0 >= 2, let key = ["backoffMultiplier", "backoff", "retries"].first(where: { reader[$0] != nil }),
           case let policy = CallPolicy(timeout: timeout, retries: retries ?? 0, backoff: backoff ?? CallPolicy.defaultBackoff,
                                        backoffMultiplier: multiplier ?? CallPolicy.defaultBackoffMultiplier),
           case let last = policy.backoff(after: policy.retries - 1), !(last <= SimTimeConversion.clockLimitSeconds) {
            log.error("the last retry would wait backoff × backoffMultiplier^(retries − 1) = \(Self.format(last)) s: more than the engine's clock limit of 1e9 s (about 31.7 years)",
                      at: reader.keyNode(key)!, path: path.appending(key), hint: "lower `backoffMultiplier`, `backoff` or `retries`")
        }
        if let timeout {
            spec.callPolicy = CallPolicy(timeout: timeout, retries: retries ?? 0, backoff: backoff ?? CallPolicy.defaultBackoff,
                                         backoffMultiplier: multiplier ?? CallPolicy.defaultBackoffMultiplier)
        } else if reader["timeout"] == nil, let key = ["retries", "backoff", "backoffMultiplier"].first(where: { reader[$0] != nil }) {
            log.error("`\(key)` needs a `timeout`: retries follow a call that timed out", at: reader.keyNode(key)!,
                      path: path.appending(key), hint: "add e.g. `timeout: 500ms`")
        }
        spec.pooling = decodePooling(reader, call: call, path: path)
        return spec
    }

    /// `poolSize: 8, streamsPerConnection: 1, idleTimeout: 60s`: a keep-alive connection pool
    /// for the calls of one protocol (none without `poolSize`).
    private mutating func decodePooling(_ reader: MappingReader, call: CallProtocol, path: KeyPath) -> ConnectionPooling? {
        guard let sizeNode = reader["poolSize"] else {
            if let key = ["streamsPerConnection", "idleTimeout"].first(where: { reader[$0] != nil }) {
                log.error("`\(key)` needs a `poolSize`: it describes the connections of a pool", at: reader.keyNode(key)!,
                          path: path.appending(key), hint: "add e.g. `poolSize: 8`")
            }
            return nil
        }
        if call == .queue {
            log.error("a `via: queue` call waits for no answer and holds no pooled connection", at: reader.keyNode("poolSize")!,
                      path: path.appending("poolSize"),
                      hint: "remove `poolSize`; pools apply to `rest` and `grpc` calls")
            return nil
        }
        let size = integer(sizeNode, path: path.appending("poolSize"), in: 1...100_000)
        var streams = call == .grpc ? ConnectionPooling.defaultGRPCStreams : 1
        if let node = reader["streamsPerConnection"] {
            if call == .rest {
                log.error("HTTP/1.1 carries one request at a time per connection", at: reader.keyNode("streamsPerConnection")!,
                          path: path.appending("streamsPerConnection"),
                          hint: "remove `streamsPerConnection` (it is 1 for `rest`), or raise `poolSize`")
            } else if let value = integer(node, path: path.appending("streamsPerConnection"), in: 1...100_000) {
                streams = value
            }
        }
        let idle = reader["idleTimeout"].flatMap {
            quantity($0, path: path.appending("idleTimeout"), kind: .time, positive: true)
        }
        guard let size else { return nil }
        return ConnectionPooling(poolSize: size, streamsPerConnection: streams, idleTimeout: idle)
    }
}

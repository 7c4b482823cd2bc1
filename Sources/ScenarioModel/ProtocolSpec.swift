// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// Overrides of one protocol's cost parameters (docs/cost-models.md); `nil` keeps the default.
public struct ProtocolSpec: Sendable, Equatable {
    public var call: CallProtocol
    /// Bytes added to every request message (headers, framing).
    public var requestOverheadBytes: Double?
    /// Bytes added to every response message.
    public var responseOverheadBytes: Double?
    /// Factor on payload bytes (base64: 4/3), at least 1.
    public var payloadInflation: Double?
    /// Encode plus decode time per byte on the wire, seconds.
    public var codecSecondsPerByte: Double?
    /// Round trips of connection set-up paid before every call (0: connections kept alive;
    /// 1: a TCP handshake per call; 2: TCP and a TLS 1.3 handshake).
    public var setupRoundTrips: Int?
    /// Timeout and retries of every call over this protocol (nil: wait for ever).
    public var callPolicy: CallPolicy?
    /// Keep-alive connection pool of the protocol's calls (nil: no limit, every call finds a
    /// connection at once).
    public var pooling: ConnectionPooling?
    /// Fixed time of one call on the caller's side (client stack, framework, server framework
    /// hand-off), seconds, drawn once per call; nil: none (docs/cost-models.md, Protocols).
    public var callOverhead: Distribution?
    /// Load dependence of `callOverhead`: each drawn overhead times f(ρ of the called node);
    /// nil: none (docs/cost-models.md, "Load-dependent call overhead").
    public var callOverheadScaling: CallOverheadScaling?
    /// Protocol work on the called server's own worker (event loop, poller, framework
    /// parsing), seconds, drawn once per call and added to the job's service time there;
    /// nil: none (docs/cost-models.md, "Server-side protocol work").
    public var serverWork: Distribution?
    /// When the called node's `serverWork` job for a call arrives: after the caller's send
    /// (nil or `afterSend`: the job is part of the handler's job, in series with the call), or
    /// with the caller's send (`withSend`: a job of its own, queued when the caller's stage
    /// before the call starts, overlapping it; docs/cost-models.md, "Receipt overlapping the send").
    public var serverWorkStarts: ServerWorkStart?

    /// These settings over `base` (the scenario's `protocols:` entry of the same protocol): each
    /// setting given here wins, the others come from `base`.
    public func overriding(_ base: ProtocolSpec?) -> ProtocolSpec {
        guard let base else { return self }
        var merged = self
        merged.requestOverheadBytes = requestOverheadBytes ?? base.requestOverheadBytes
        merged.responseOverheadBytes = responseOverheadBytes ?? base.responseOverheadBytes
        merged.payloadInflation = payloadInflation ?? base.payloadInflation
        merged.codecSecondsPerByte = codecSecondsPerByte ?? base.codecSecondsPerByte
        merged.setupRoundTrips = setupRoundTrips ?? base.setupRoundTrips
        merged.callPolicy = callPolicy ?? base.callPolicy
        merged.pooling = pooling ?? base.pooling
        merged.callOverhead = callOverhead ?? base.callOverhead
        merged.callOverheadScaling = callOverheadScaling ?? base.callOverheadScaling
        merged.serverWork = serverWork ?? base.serverWork
        merged.serverWorkStarts = serverWorkStarts ?? base.serverWorkStarts
        return merged
    }

    /// The settings of a call over `via` to a placement with its own settings `placement`
    /// (`call:`), on top of the scenario's `protocols`; nil for an in-process call or when
    /// neither gives any.
    public static func effective(via: CallProtocol?, placement: ProtocolSpec?, protocols: [ProtocolSpec]) -> ProtocolSpec? {
        guard let via else { return nil }
        let global = protocols.first { $0.call == via }
        return placement.map { $0.overriding(global) } ?? global
    }

    public init(call: CallProtocol, requestOverheadBytes: Double? = nil, responseOverheadBytes: Double? = nil,
                payloadInflation: Double? = nil, codecSecondsPerByte: Double? = nil, setupRoundTrips: Int? = nil) {
        self.call = call
        self.requestOverheadBytes = requestOverheadBytes
        self.responseOverheadBytes = responseOverheadBytes
        self.payloadInflation = payloadInflation
        self.codecSecondsPerByte = codecSecondsPerByte
        self.setupRoundTrips = setupRoundTrips
    }
}

extension ProtocolSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case call, requestOverheadBytes, responseOverheadBytes, payloadInflation, codecSecondsPerByte
        case setupRoundTrips, callPolicy, pooling, callOverhead, serverWork, serverWorkStarts, callOverheadScaling
    }

    // An option added after the format was fixed is left out while unset, so that a scenario
    // without it resolves to the same bytes as before it existed; every other optional is
    // written, `null` when unset (`JSONValueEncoder`'s `optionals: .null`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(call, forKey: .call)
        try container.encodeIfPresent(requestOverheadBytes, forKey: .requestOverheadBytes)
        try container.encodeIfPresent(responseOverheadBytes, forKey: .responseOverheadBytes)
        try container.encodeIfPresent(payloadInflation, forKey: .payloadInflation)
        try container.encodeIfPresent(codecSecondsPerByte, forKey: .codecSecondsPerByte)
        try container.encodeIfPresent(setupRoundTrips, forKey: .setupRoundTrips)
        try container.encodeIfPresent(callPolicy, forKey: .callPolicy)
        try container.encodeIfPresent(pooling, forKey: .pooling)
        try container.encodeIfPresent(callOverhead, forKey: .callOverhead)
        if let serverWork { try container.encode(serverWork, forKey: .serverWork) }
        if let serverWorkStarts { try container.encode(serverWorkStarts.rawValue, forKey: .serverWorkStarts) }
        if let callOverheadScaling { try container.encode(callOverheadScaling, forKey: .callOverheadScaling) }
    }
}

/// When a call's `serverWork` starts at the called node (`ProtocolSpec.serverWorkStarts`).
public enum ServerWorkStart: String, Sendable, CaseIterable {
    /// With the handler, after the call's delay: one job of serverWork + handler (the default).
    case afterSend
    /// As a job of its own, sent when the caller's stage before the call starts: the callee
    /// reads while the caller writes; the handler's job follows when both are done.
    case withSend
}

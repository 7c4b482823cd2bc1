// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// What one call over a protocol adds to the bytes on the wire and to the time spent
/// encoding and decoding them (docs/cost-models.md).
///
/// The defaults are order-of-magnitude estimates, not measurements of a particular stack:
/// REST sends a few hundred bytes of HTTP/1.1 headers and base64-encodes binary payloads
/// inside JSON (exactly 4 bytes for every 3); gRPC sends HPACK-compressed headers and
/// protobuf bytes fields as they are. Codec time is charged per byte on the sender and again
/// on the receiver. Connections are kept alive by default (no set-up round trip per call); a
/// scenario's `protocols:` section overrides any of these.
struct ProtocolCosts: Sendable, Equatable {
    /// Bytes added to every request message (headers, framing).
    var requestOverheadBytes: Double
    /// Bytes added to every response message.
    var responseOverheadBytes: Double
    /// Factor on binary payload bytes (base64: 4/3).
    var payloadInflation: Double
    /// Encode plus decode time per byte on the wire, seconds (sender and receiver together).
    var codecSecondsPerByte: Double
    /// Round trips of connection set-up before every call (0: kept alive).
    var setupRoundTrips = 0

    static let rest = ProtocolCosts(requestOverheadBytes: 350, responseOverheadBytes: 250,
                                    payloadInflation: 4.0 / 3.0, codecSecondsPerByte: 2 * 2e-9)
    static let grpc = ProtocolCosts(requestOverheadBytes: 60, responseOverheadBytes: 40,
                                    payloadInflation: 1, codecSecondsPerByte: 2 * 0.5e-9)
    /// A message-queue hop: framing like gRPC; the broker's own time is the broker node's.
    static let queue = ProtocolCosts(requestOverheadBytes: 80, responseOverheadBytes: 80,
                                     payloadInflation: 1, codecSecondsPerByte: 2 * 0.5e-9)
    /// An in-process call: nothing added.
    static let none = ProtocolCosts(requestOverheadBytes: 0, responseOverheadBytes: 0,
                                    payloadInflation: 1, codecSecondsPerByte: 0)

    static func of(_ call: CallProtocol?) -> ProtocolCosts {
        switch call {
        case .rest: .rest
        case .grpc: .grpc
        case .queue: .queue
        case nil: .none
        }
    }

    /// The costs of `call` with `settings` (the call's effective `ProtocolSpec`,
    /// `ProtocolSpec.effective`) applied over the defaults.
    static func of(_ call: CallProtocol?, settings: ProtocolSpec?) -> ProtocolCosts {
        var costs = of(call)
        guard call != nil, let spec = settings else { return costs }
        costs.requestOverheadBytes = spec.requestOverheadBytes ?? costs.requestOverheadBytes
        costs.responseOverheadBytes = spec.responseOverheadBytes ?? costs.responseOverheadBytes
        costs.payloadInflation = spec.payloadInflation ?? costs.payloadInflation
        costs.codecSecondsPerByte = spec.codecSecondsPerByte ?? costs.codecSecondsPerByte
        costs.setupRoundTrips = spec.setupRoundTrips ?? costs.setupRoundTrips
        return costs
    }

    /// Bytes on the wire for a message carrying `payload` bytes.
    func wireBytes(payload: Double, isResponse: Bool) -> Double {
        payload * payloadInflation + (isResponse ? responseOverheadBytes : requestOverheadBytes)
    }
}

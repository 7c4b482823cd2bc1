// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// The messages one request of a workload sends through the deployment, at their mean sizes,
/// as `LinkLoad` counts them; each deployment kind adds its own (`DeploymentKind.addMessages`).
struct RequestMessages {
    /// One kind of message per request, at its mean payload (bytes before protocol overheads).
    struct Message {
        var from: String
        var to: String
        var via: CallProtocol?
        /// The called placement's own protocol settings (`call:`).
        var settings: ProtocolSpec?
        var isResponse: Bool
        var payload: Double
        /// Messages per second.
        var rate: Double
    }

    /// The deployment's placements, their answer sizes (bytes) and the share of requests that
    /// reaches each (`CascadeReach`), in placement order.
    let placements: [Placement]
    let outputs: [Double]
    let reaches: [CascadeReach]
    /// The workload's source node; nil: the deployment's entry node.
    let source: String?
    /// The workload's mean request payload, bytes, and its mean arrival rate, per second.
    let payload: Double
    let rate: Double
    private(set) var messages: [Message] = []

    init(placements: [Placement], outputs: [Double], reaches: [CascadeReach], source: String?, payload: Double, rate: Double) {
        self.placements = placements
        self.outputs = outputs
        self.reaches = reaches
        self.source = source
        self.payload = payload
        self.rate = rate
    }

    /// A message of `bytes` from `from` to `to`, by `placement`'s call (nil: a plain leg), sent
    /// by `share` of the requests.
    mutating func add(_ from: String, _ to: String, _ placement: Placement?, response: Bool, _ bytes: Double,
                      share: Double = 1) {
        messages.append(Message(from: from, to: to, via: placement?.via, settings: placement?.call, isResponse: response,
                                payload: bytes, rate: rate * share))
    }
}

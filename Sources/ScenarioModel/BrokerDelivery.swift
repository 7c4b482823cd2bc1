// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// How a broker node stores and delivers messages (docs/cost-models.md, "Message broker").
/// Its `workers` serve messages from one FIFO queue; each takes the node's `serviceTime` plus
/// `persistence`; delivery is at least once: a consumer's acknowledgement is lost with
/// probability `ackLoss`, and the broker then delivers the message again `redeliveryAfter`
/// seconds later — a duplicate, which a model placement processes again.
public struct BrokerDelivery: Sendable, Equatable {
    /// Time to write one message durably before it is handed on, seconds (holds the worker).
    public var persistence: Distribution?
    /// Probability that the consumer's acknowledgement of a delivery is lost, 0 ≤ p < 1.
    public var ackLoss: Double
    /// Delay before an unacknowledged message is delivered again, seconds (> 0).
    public var redeliveryAfter: Double

    /// 30 s: the default visibility timeout of Amazon SQS (an **estimate** of typical
    /// redelivery delays; RabbitMQ redelivers when the consumer's channel closes).
    public static let defaultRedeliveryAfter = 30.0

    public init(persistence: Distribution? = nil, ackLoss: Double = 0,
                redeliveryAfter: Double = BrokerDelivery.defaultRedeliveryAfter) {
        self.persistence = persistence
        self.ackLoss = ackLoss
        self.redeliveryAfter = redeliveryAfter
    }
}

extension BrokerDelivery: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case persistence, ackLoss, redeliveryAfter
    }
}

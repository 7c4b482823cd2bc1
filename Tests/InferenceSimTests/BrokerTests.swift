// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import Results
import ScenarioModel

/// The broker of `via: queue` legs as a station, and at-least-once delivery
/// (docs/cost-models.md, "Message broker"), by hand.
final class BrokerTests: XCTestCase {
    /// client –5 ms– mq –5 ms– s; broker: 1 worker, service 2 ms + persistence 3 ms; model
    /// 10 ms on s; the call and the answer both go through the broker (`via: queue`).
    private func config(arrivals: ArrivalProcess, requests: Int, ackLoss: Double = 0) -> ScenarioConfig {
        var broker = NodeSpec(name: "mq", kind: .broker, workers: 1, brokerServiceTime: .deterministic(value: 0.002))
        broker.brokerDelivery = BrokerDelivery(persistence: .deterministic(value: 0.003), ackLoss: ackLoss, redeliveryAfter: 1)
        return ScenarioConfig(
            name: "mq", seed: 3, run: RunSettings(requests: requests),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.010))],
            nodes: [NodeSpec(name: "client", kind: .client, workers: 1), broker, NodeSpec(name: "s", kind: .server, workers: 1)],
            links: [LinkSpec(a: "client", b: "mq", latency: .deterministic(value: 0.005)),
                    LinkSpec(a: "mq", b: "s", latency: .deterministic(value: 0.005))],
            deployment: .single(Placement(model: "m", node: "s", via: .queue)),
            workloads: [WorkloadSpec(kind: .image, source: "client", arrivals: arrivals)])
    }

    /// The call carries no payload: 80 B of queue framing; the answer the default 1,000 B
    /// output + 80 B. Codec 1 ns/B, paid once per message (on the way in): c = 80 ns for the
    /// call, a = 1,080 ns for the answer. Times in ms.
    /// A and B arrive at 0. Call: publish 5 + c; broker A 5.00008–10.00008, B waits 5 and is
    /// served 10.00008–15.00008; on to s (5): A at 15.00008, B at 20.00008. s serves A until
    /// 25.00008; B waits 5, served 25.00008–35.00008. Answer: + a + 5 to the broker — A at
    /// 30.00116, served until 35.00116; B at 40.00116, served until 45.00116 — then 5 to the
    /// client: A 40.00116 ms, B 50.00116 ms.
    /// Breakdown: network 20 ms each; serialization c + a = 1.16 µs; service 10; broker A 10,
    /// B 15 (5 of waiting); queueing A 0, B 5.
    func testMessageThroughTheBrokerPaysItsQueueServiceAndPersistence() throws {
        let result = try Simulation(config: config(arrivals: .trace(timestamps: [0, 0, 1000]), requests: 2),
                                    replication: 0).run()
        XCTAssertEqual(result.completed, 2)
        XCTAssertEqual(result.latency.min, 0.04000116, accuracy: 1e-12)
        XCTAssertEqual(result.latency.max, 0.05000116, accuracy: 1e-12)
        let parts = Dictionary(uniqueKeysWithValues: result.breakdown.meanSeconds.map { ($0.name, $0.seconds) })
        XCTAssertEqual(parts["network"]!, 0.020, accuracy: 1e-12)
        XCTAssertEqual(parts["serialization"]!, 1160e-9, accuracy: 1e-12)
        XCTAssertEqual(parts["service"]!, 0.010, accuracy: 1e-12)
        XCTAssertEqual(parts["broker"]!, 0.0125, accuracy: 1e-12)
        XCTAssertEqual(parts["queueing"]!, 0.0025, accuracy: 1e-12)
        XCTAssertEqual(result.broker, BrokerCounts(messages: 4, duplicates: 0))
        XCTAssertNotNil(result.nodes.first { $0.name == "mq" }, "the broker is reported as a node")
    }

    /// At-least-once: each of the 2 deliveries per request (call and answer) loses its
    /// acknowledgement with p = 0.5 and comes again 1 s later. Requests 10 s apart, so a
    /// duplicate never delays an original: every latency stays 40.00116 ms. Over n = 1000
    /// requests, messages = 2n exactly; duplicates ~ Binomial(2n, p): mean 1000, sd √500 =
    /// 22.4; duplicates of calls are processed again by s: completions at s − n ~
    /// Binomial(n, p): mean 500, sd 15.8. Tolerance 4 sd (two-sided 99.99 %); fixed seed.
    func testLostAcknowledgementsCauseDuplicatesThatTheConsumerProcesses() throws {
        let n = 1000
        let result = try Simulation(config: config(arrivals: .streams(count: 1, interval: 10), requests: n, ackLoss: 0.5),
                                    replication: 0).run()
        XCTAssertEqual(result.latency.max, 0.04000116, accuracy: 1e-12)
        XCTAssertEqual(result.latency.min, 0.04000116, accuracy: 1e-12)
        let counts = try XCTUnwrap(result.broker)
        XCTAssertEqual(counts.messages, 2 * n)
        XCTAssertEqual(Double(counts.duplicates), 1000, accuracy: 4 * 22.4)
        let extra = result.nodes.first { $0.name == "s" }!.completions - n
        XCTAssertEqual(Double(extra), 500, accuracy: 4 * 15.8)
        XCTAssertLessThan(extra, counts.duplicates, "answer duplicates reach the client, which runs nothing")
    }
}

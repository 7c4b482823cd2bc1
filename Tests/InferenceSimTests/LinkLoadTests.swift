// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import InferenceSim
import NumericCore
import ScenarioModel

/// The offered load of link directions (docs/cost-models.md, "Offered load of a link"), by hand.
final class LinkLoadTests: XCTestCase {
    private func load(_ directions: [LinkLoad.Direction], _ link: Int, _ from: String) -> Double? {
        directions.first { $0.link == link && $0.from == from }?.load
    }

    /// Client c → server s over gRPC, one 10 Mbps link with loss 0.01; 10 requests/s of
    /// 150,000 B; answers of 1,000 B. Expected sends per message 1 + 0.01/0.99.
    /// c → s: 10 · 8 · (150,000 + 60) · (1 + 0.01/0.99) / 10⁷ = 1.21260606…;
    /// s → c: 10 · 8 · (1,000 + 40) · (1 + 0.01/0.99) / 10⁷ = 0.0084040…
    func testSingleDeploymentOverALossyLink() {
        let config = ScenarioConfig(
            name: "load", seed: 1, run: RunSettings(requests: 10),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.001), outputBytes: 1000)],
            nodes: [NodeSpec(name: "c", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 8)],
            links: [LinkSpec(a: "c", b: "s", latency: .deterministic(value: 0.005), bandwidthBitsPerSecond: 10e6, loss: 0.01)],
            deployment: .single(Placement(model: "m", node: "s", via: .grpc)),
            workloads: [WorkloadSpec(kind: .image, source: "c", arrivals: .poisson(rate: 10), payloadBytes: .deterministic(value: 150_000))])
        let directions = LinkLoad.perDirection(config)
        let resend = 1 + 0.01 / 0.99
        XCTAssertEqual(directions.count, 2)
        XCTAssertEqual(load(directions, 0, "c")!, 10 * 8 * 150_060 * resend / 10e6, accuracy: 1e-12)
        XCTAssertEqual(load(directions, 0, "s")!, 10 * 8 * 1_040 * resend / 10e6, accuracy: 1e-12)
        XCTAssertEqual(LinkLoad.overloaded(config).map(\.key), ["link.0.c->s"])
        let warning = LinkLoad.warnings(for: config)
        XCTAssertEqual(warning.count, 1)
        XCTAssertTrue(warning[0].hasPrefix("link 0 (`c` → `s`) is offered a load of 1.213 (≥ 1; 12.13 Mbit/s offered on 10 Mbit/s)"),
                      warning[0])
        XCTAssertTrue(warning[0].hasSuffix("; " + LinkLoad.hint))
        // Ten times the bandwidth: no warning; without a bandwidth: nothing to compute.
        var wide = config
        wide.links[0].bandwidthBitsPerSecond = 100e6
        XCTAssertEqual(LinkLoad.warnings(for: wide), [])
        wide.links[0].bandwidthBitsPerSecond = nil
        XCTAssertEqual(LinkLoad.perDirection(wide), [])
    }

    /// Distributed: requests of 100,000 B at 20/s from c to the splitter d (no protocol), parts
    /// on e1 (share 0.25, REST) and e2 (share 0.75, gRPC), outputs 2,000 B, answers merged at d.
    /// Links: c–d 100 Mbps; d–e1 10 Mbps; d–e2 10 Mbps with failures up 4 s / down 1 s on
    /// average (availability 0.8, capacity 8 Mbps). Per second 20 messages of each kind:
    /// c → d: 160 · 10⁵ / 10⁸ = 0.16;  d → c: the largest output, 160 · 2,000 / 10⁸ = 0.0032;
    /// d → e1: 160 · (25,000 · 4/3 + 350) / 10⁷ = 0.538933…; e1 → d: 160 · (500 · 4/3 + 250) / 10⁷;
    /// d → e2: 160 · (75,000 + 60) / (0.8 · 10⁷) = 1.5012; e2 → d: 160 · (1,500 + 40) / (8·10⁶) = 0.0308.
    func testDistributedPartsAndAvailability() {
        let config = ScenarioConfig(
            name: "load", seed: 1, run: RunSettings(requests: 10),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.001), outputBytes: 2000)],
            nodes: [NodeSpec(name: "c", kind: .client, workers: 1), NodeSpec(name: "d", kind: .server, workers: 1),
                    NodeSpec(name: "e1", kind: .edge, workers: 1), NodeSpec(name: "e2", kind: .edge, workers: 1)],
            links: [LinkSpec(a: "c", b: "d", latency: .deterministic(value: 0.001), bandwidthBitsPerSecond: 100e6),
                    LinkSpec(a: "d", b: "e1", latency: .deterministic(value: 0.001), bandwidthBitsPerSecond: 10e6),
                    LinkSpec(a: "e2", b: "d", latency: .deterministic(value: 0.001), bandwidthBitsPerSecond: 10e6,
                             failures: LinkFailureProcess(upTime: .exponential(mean: 4), downTime: .exponential(mean: 1)))],
            deployment: .distributed(DistributedSpec(aggregator: "d", parts: [
                .init(placement: Placement(model: "m", node: "e1", via: .rest), share: 0.25),
                .init(placement: Placement(model: "m", node: "e2", via: .grpc), share: 0.75)])),
            workloads: [WorkloadSpec(kind: .image, source: "c", arrivals: .poisson(rate: 20), payloadBytes: .deterministic(value: 1e5))])
        let directions = LinkLoad.perDirection(config)
        XCTAssertEqual(directions.map(\.key), ["link.0.c->d", "link.0.d->c", "link.1.d->e1", "link.1.e1->d",
                                               "link.2.e2->d", "link.2.d->e2"])
        XCTAssertEqual(load(directions, 0, "c")!, 0.16, accuracy: 1e-12)
        XCTAssertEqual(load(directions, 0, "d")!, 0.0032, accuracy: 1e-12)
        XCTAssertEqual(load(directions, 1, "d")!, 160 * (25_000 * 4.0 / 3 + 350) / 1e7, accuracy: 1e-12)
        XCTAssertEqual(load(directions, 1, "e1")!, 160 * (500 * 4.0 / 3 + 250) / 1e7, accuracy: 1e-12)
        XCTAssertEqual(load(directions, 2, "d")!, 1.5012, accuracy: 1e-12)
        XCTAssertEqual(load(directions, 2, "e2")!, 0.0308, accuracy: 1e-12)
        XCTAssertEqual(LinkLoad.overloaded(config).map(\.key), ["link.2.d->e2"])
    }

    /// `via: queue` crosses both the way to the broker and on from it: c–mq and mq–s, 1 Mbps
    /// each; 5 requests/s of 20,000 B, answers 1,000 B; queue framing 80 B both ways.
    /// c → mq and mq → s: 5 · 8 · 20,080 / 10⁶ = 0.8032; s → mq and mq → c: 5 · 8 · 1,080 / 10⁶.
    /// A cascade whose models have no accuracy counts only its first stage's request: with
    /// stage 0 on c and stage 1 on s, nothing crosses a link for sure.
    func testQueueCallsCrossBothWaysAndCascadesCountTheFirstStage() {
        var config = ScenarioConfig(
            name: "load", seed: 1, run: RunSettings(requests: 10),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.001), outputBytes: 1000)],
            nodes: [NodeSpec(name: "c", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 1),
                    NodeSpec(name: "mq", kind: .broker, workers: 1, brokerServiceTime: .deterministic(value: 0.0001))],
            links: [LinkSpec(a: "c", b: "mq", latency: .deterministic(value: 0.001), bandwidthBitsPerSecond: 1e6),
                    LinkSpec(a: "mq", b: "s", latency: .deterministic(value: 0.001), bandwidthBitsPerSecond: 1e6)],
            deployment: .single(Placement(model: "m", node: "s", via: .queue)),
            workloads: [WorkloadSpec(kind: .image, source: "c", arrivals: .poisson(rate: 5), payloadBytes: .deterministic(value: 20_000))])
        let directions = LinkLoad.perDirection(config)
        XCTAssertEqual(directions.count, 4)
        XCTAssertEqual(load(directions, 0, "c")!, 0.8032, accuracy: 1e-12)
        XCTAssertEqual(load(directions, 1, "mq")!, 0.8032, accuracy: 1e-12)
        XCTAssertEqual(load(directions, 1, "s")!, 5 * 8 * 1_080 / 1e6, accuracy: 1e-12)
        XCTAssertEqual(load(directions, 0, "mq")!, 5 * 8 * 1_080 / 1e6, accuracy: 1e-12)
        config.deployment = .cascade(CascadeSpec(stages: [.init(placement: Placement(model: "m", node: "c"), threshold: 0.8),
                                                          .init(placement: Placement(model: "m", node: "s", via: .grpc), threshold: 0)]))
        XCTAssertEqual(LinkLoad.perDirection(config), [])
    }

    /// A cascade with synthetic accuracy also counts its first stage's escalations to the
    /// second, at the share P(confidence < threshold). Threshold 1: every answer escalates
    /// (confidence < 1 almost surely): c → mq and mq → s carry 5 · 8 · (20,000 + 60) / 10⁶ =
    /// 0.8024 (gRPC framing 60 B). Threshold 0.05, below chance (1/10): nothing escalates.
    func testCascadesCountTheFirstStagesEscalations() {
        var config = ScenarioConfig(
            name: "load", seed: 1, run: RunSettings(requests: 10),
            models: [ModelSpec(name: "m", serviceTime: .deterministic(value: 0.001), outputBytes: 1000,
                               accuracy: AccuracySpec(top1: 0.8, classes: 10))],
            nodes: [NodeSpec(name: "c", kind: .client, workers: 1), NodeSpec(name: "s", kind: .server, workers: 1),
                    NodeSpec(name: "mq", kind: .server, workers: 1)],
            links: [LinkSpec(a: "c", b: "mq", latency: .deterministic(value: 0.001), bandwidthBitsPerSecond: 1e6),
                    LinkSpec(a: "mq", b: "s", latency: .deterministic(value: 0.001), bandwidthBitsPerSecond: 1e6)],
            deployment: .cascade(CascadeSpec(stages: [
                .init(placement: Placement(model: "m", node: "c"), threshold: 1),
                .init(placement: Placement(model: "m", node: "s", via: .grpc), threshold: 0)])),
            workloads: [WorkloadSpec(kind: .image, source: "c", arrivals: .poisson(rate: 5), payloadBytes: .deterministic(value: 20_000))])
        let all = LinkLoad.perDirection(config)
        XCTAssertEqual(all.count, 2)
        XCTAssertEqual(load(all, 0, "c")!, 0.8024, accuracy: 1e-12)
        XCTAssertEqual(load(all, 1, "mq")!, 0.8024, accuracy: 1e-12)
        config.deployment = .cascade(CascadeSpec(stages: [
            .init(placement: Placement(model: "m", node: "c"), threshold: 0.05),
            .init(placement: Placement(model: "m", node: "s", via: .grpc), threshold: 0)]))
        XCTAssertEqual(LinkLoad.perDirection(config), [])
    }
}

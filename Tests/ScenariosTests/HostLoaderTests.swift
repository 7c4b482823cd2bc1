// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import ScenarioModel
import Scenarios

/// `hosts:` and `nodes.NAME.host` as the loader reads and checks them.
final class HostLoaderTests: XCTestCase {
    /// Two servers `s` (the model's) and `t`, a client `c`; `hosts`, the nodes' settings and
    /// the model's extra keys are spliced in.
    private func yaml(hosts: String = "hosts: {box: {cores: 2}}", s: String, t: String = "{kind: server, host: box}",
                      c: String = "{kind: client}", model: String = "") -> String {
        """
        name: h
        run: {requests: 10}
        \(hosts)
        models:
          m: {serviceTime: 1ms\(model)}
        nodes:
          s: \(s)
          t: \(t)
          c: \(c)
        deployment: {kind: single, model: m, on: s}
        workload:
          - {kind: image, from: c, arrivals: {process: poisson, rate: 1/s}}
        """
    }

    /// The rendered diagnostics of loading `text`; fails the test if it loads.
    private func diagnostics(_ text: String, line: UInt = #line) -> [String] {
        problems(text, file: "h.yaml", line: line).map(\.rendered)
    }

    /// The hosts in file order with their cores; each node's host; a node without one has none.
    func testHostsAndNodesAreRead() throws {
        let config = try ScenarioLoader.load(yaml: yaml(hosts: "hosts: {box: {cores: 2}, other: {cores: 8}}",
                                                        s: "{kind: server, workers: 3, host: box}", t: "{kind: server}"),
                                             file: "h.yaml")
        XCTAssertEqual(config.hosts, [HostSpec(name: "box", cores: 2), HostSpec(name: "other", cores: 8)])
        XCTAssertEqual(config.nodes.first { $0.name == "s" }?.host, "box")
        XCTAssertEqual(config.nodes.first { $0.name == "s" }?.workers, 3)
        XCTAssertNil(config.nodes.first { $0.name == "t" }?.host)
        let shared = try ScenarioLoader.load(yaml: yaml(s: "{kind: server, host: box, concurrency: {model: processorSharing, cores: 2, maxInFlight: 40}}"),
                                             file: "h.yaml")
        XCTAssertEqual(shared.nodes.first { $0.name == "s" }?.host, "box")
    }

    /// An unknown host (with "did you mean"), zero or negative cores, a missing `cores` and an
    /// unknown key of a host are each located, in one pass.
    func testBadHostsAreLocated() {
        let unknown = diagnostics(yaml(s: "{kind: server, host: bx}"))
        XCTAssertEqual(unknown.count, 1, "\(unknown)")
        XCTAssertTrue(unknown[0].hasPrefix("h.yaml:7:") && unknown[0].contains("nodes.s.host") && unknown[0].contains("unknown host `bx`")
                      && unknown[0].contains("did you mean `box`"), "\(unknown)")
        let undeclared = diagnostics(yaml(hosts: "", s: "{kind: server, host: box}"))
        XCTAssertTrue(undeclared.contains { $0.contains("nodes.s.host") && $0.contains("declare it under `hosts:`") }, "\(undeclared)")
        for cores in ["0", "-2"] {
            let rendered = diagnostics(yaml(hosts: "hosts: {box: {cores: \(cores)}}", s: "{kind: server}", t: "{kind: server}"))
            XCTAssertTrue(rendered.contains { $0.hasPrefix("h.yaml:3:") && $0.contains("hosts.box.cores") }, "\(rendered)")
        }
        let missing = diagnostics(yaml(hosts: "hosts: {box: {core: 2}}", s: "{kind: server}", t: "{kind: server}"))
        XCTAssertTrue(missing.contains { $0.contains("hosts.box.core") && $0.contains("did you mean `cores`") }, "\(missing)")
        let empty = diagnostics(yaml(hosts: "hosts: {}", s: "{kind: server}", t: "{kind: server}"))
        XCTAssertTrue(empty.contains { $0.contains("hosts") && $0.contains("declares no host") }, "\(empty)")
    }

    /// A client, broker or repository takes no cores of a host (a client's own CPU is not
    /// simulated); a node on a host has no instances, count, autoscaling, spot, coldStart or
    /// wakeUp; a processor-sharing node on a host shares exactly the host's cores, with no
    /// `capacity` of its own (the host's other nodes are what takes the rest).
    func testNodesThatCannotBeOnAHost() {
        let client = diagnostics(yaml(s: "{kind: server}", c: "{kind: client, host: box}"))
        XCTAssertTrue(client.contains { $0.hasPrefix("h.yaml:9:") && $0.contains("nodes.c.host") && $0.contains("client's own CPU is not simulated") },
                      "\(client)")
        let pool = diagnostics(yaml(s: "{kind: cloud, instances: 2, host: box}"))
        XCTAssertTrue(pool.contains { $0.contains("nodes.s.instances") && $0.contains("cannot go with `host`") }, "\(pool)")
        let group = diagnostics(yaml(s: "{kind: server, count: 2, host: box}"))
        XCTAssertTrue(group.contains { $0.contains("nodes.s.count") && $0.contains("cannot go with `host`") }, "\(group)")
        let wake = diagnostics(yaml(s: "{kind: server, host: box, wakeUp: {points: [[0s, 0s], [1s, 5ms]]}}"))
        XCTAssertTrue(wake.contains { $0.contains("nodes.s.wakeUp") && $0.contains("cannot go with `host`") }, "\(wake)")
        let fewer = diagnostics(yaml(s: "{kind: server, host: box, concurrency: {model: processorSharing, cores: 1}}"))
        XCTAssertTrue(fewer.contains { $0.contains("nodes.s.host") && $0.contains("set `concurrency.cores: 2`") }, "\(fewer)")
        let capacity = diagnostics(yaml(s: "{kind: server, host: box, concurrency: {model: processorSharing, cores: 2, capacity: 1.5}}"))
        XCTAssertEqual(capacity.count, 1, "\(capacity)")
        XCTAssertTrue(capacity[0].contains("nodes.s.host") && capacity[0].contains("`concurrency.capacity` cannot go with `host`")
                      && capacity[0].contains("remove `concurrency.capacity`"), "\(capacity)")
    }

    /// A model placed on a hosted node must not batch or scale its service time by `inFlight`;
    /// reported at the placement.
    func testModelsAHostedNodeCannotRun() {
        let batching = diagnostics(yaml(s: "{kind: server, host: box}", model: ", batching: {maxBatch: 4, maxDelay: 1ms, alpha: 0.1}"))
        XCTAssertTrue(batching.contains { $0.contains("deployment.on") && $0.contains("shares the cores of host `box`") && $0.contains("batches") },
                      "\(batching)")
        let scaling = diagnostics(yaml(s: "{kind: server, host: box}", model: ", serviceTimeScaling: {by: inFlight, points: [[1, 1], [4, 2]]}"))
        XCTAssertTrue(scaling.contains { $0.contains("scales its service time `by: inFlight`") }, "\(scaling)")
    }
}

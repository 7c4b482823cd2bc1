// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest

/// `hosts:` and `nodes.NAME.host` through `hybridsim run`: when a shared host changes nothing,
/// and when it is exactly a processor-sharing node.
final class SharedHostCommandTests: XCTestCase {
    /// A two-stage pipeline of single-worker servers, 10 ms exponential stages at 30/s;
    /// `hosts` and `host` are spliced in as given.
    private func pipeline(hosts: String, host: String) -> String {
        """
        name: shared-host
        seed: 3
        run: {requests: 20000, warmupRequests: 2000, replications: 2}
        \(hosts)
        models:
          a: {serviceTime: {dist: exponential, mean: 10ms}}
          b: {serviceTime: {dist: exponential, mean: 10ms}}
        nodes:
          client: {kind: client}
          s1: {kind: server, workers: 1\(host)}
          s2: {kind: server, workers: 1\(host)}
        deployment:
          kind: pipeline
          stages: [{model: a, on: s1}, {model: b, on: s2}]
        workload:
          - {kind: image, from: client, arrivals: {process: poisson, rate: 30/s}}
        """
    }

    /// Runs `yaml`; returns summary.json without its wall-clock lines.
    private func run(_ yaml: String) throws -> String {
        let folder = try BinaryRunner.temporaryDirectory()
        let file = folder + "/scenario.yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["run", file, "--quiet", "--out", folder + "/out"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(contentsOfFile: folder + "/out/summary.json", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.contains("\"wall_s\"") && !$0.contains("\"events_per_s\"") }
            .joined(separator: "\n")
    }

    private func field(_ summary: String, _ path: [String]) throws -> Any? {
        var value: Any? = try JSONSerialization.jsonObject(with: Data(summary.utf8))
        for key in path { value = (value as? [String: Any])?[key] }
        return value
    }

    /// summary.json's lines without its `hosts` block.
    private func withoutHosts(_ summary: String) -> String {
        var lines = summary.split(separator: "\n", omittingEmptySubsequences: false)
        if let start = lines.firstIndex(of: "  \"hosts\": {"),
           let end = lines[start...].firstIndex(where: { $0 == "  }," || $0 == "  }" }) {
            lines.removeSubrange(start...end)
        }
        return lines.joined(separator: "\n")
    }

    /// Two single-worker nodes on a host of 2 cores: never more jobs in service than cores,
    /// so the summary is the same bytes as without the host, but for the added `hosts` block,
    /// whose utilisation is the nodes' busy workers over the 2 cores. On 1 core the stages slow
    /// each other down (the host is not ignored), and the host is busy ρ = 30/s × 20 ms = 0.6
    /// of the time (within 0.02: 44,000 requests).
    func testAHostWithACorePerWorkerChangesNothing() throws {
        let alone = try run(pipeline(hosts: "", host: ""))
        XCTAssertFalse(alone.contains("\"hosts\""))
        let hosted = try run(pipeline(hosts: "hosts: {box: {cores: 2}}", host: ", host: box"))
        XCTAssertNotEqual(hosted, alone)
        XCTAssertEqual(withoutHosts(hosted), alone)
        let nodes = try ["s1", "s2"].map { try XCTUnwrap(try field(hosted, ["nodes", $0, "utilization"]) as? Double) }
        let host = try XCTUnwrap(try field(hosted, ["hosts", "box", "utilization"]) as? Double)
        XCTAssertEqual(host, (nodes[0] + nodes[1]) / 2, accuracy: 1e-12)
        XCTAssertEqual(try field(hosted, ["hosts", "box", "cores"]) as? Int, 2)
        let crowded = try run(pipeline(hosts: "hosts: {box: {cores: 1}}", host: ", host: box"))
        let slow = try XCTUnwrap(try field(crowded, ["latency_s", "mean"]) as? Double)
        let fast = try XCTUnwrap(try field(alone, ["latency_s", "mean"]) as? Double)
        XCTAssertGreaterThan(slow, 1.3 * fast, "two stages at ρ = 0.3 each on one core: E[T] ≈ 49 ms, not 29 ms")
        XCTAssertEqual(try XCTUnwrap(try field(crowded, ["hosts", "box", "utilization"]) as? Double), 0.6, accuracy: 0.02)
    }

    /// One FIFO node of 3 workers on a 1-core host is processor sharing on 1 core with 3
    /// slots: every latency figure is equal to the last digit. Utilisation is not: the hosted
    /// node reports busy workers over its 3 workers (a worker is busy while its job is in
    /// service, however slowly), the processor-sharing node busy core-time over its 1 core.
    func testOneNodeWithCWorkersOnOneCoreIsProcessorSharingWithCSlots() throws {
        func single(_ node: String, hosts: String) -> String {
            """
            name: one-node
            seed: 9
            run: {requests: 20000, warmupRequests: 2000, replications: 2}
            \(hosts)
            models:
              m: {serviceTime: {dist: lognormal, mean: 20ms, cv: 1.5}}
            nodes:
              client: {kind: client}
              s: \(node)
            deployment: {kind: single, model: m, on: s}
            workload:
              - {kind: image, from: client, arrivals: {process: poisson, rate: 40/s}}
            """
        }
        let hosted = try run(single("{kind: server, workers: 3, host: box}", hosts: "hosts: {box: {cores: 1}}"))
        let sharing = try run(single("{kind: server, concurrency: {model: processorSharing, cores: 1, maxInFlight: 3}}", hosts: ""))
        for key in ["mean", "p50", "p95", "p99", "max"] {
            let a = try XCTUnwrap(try field(hosted, ["latency_s", key]) as? Double)
            let b = try XCTUnwrap(try field(sharing, ["latency_s", key]) as? Double)
            XCTAssertEqual(a, b, "latency_s.\(key)")
        }
        XCTAssertEqual(try field(hosted, ["wait_s", "mean"]) as? Double, try field(sharing, ["wait_s", "mean"]) as? Double)
        let utilization = try XCTUnwrap(try field(sharing, ["nodes", "s", "utilization"]) as? Double)
        XCTAssertEqual(utilization, 0.8, accuracy: 0.03, "busy core-time: ρ = 40/s × 20 ms")
    }

    /// `validate` warns about a host whose nodes' work exceeds its cores, at the host's entry,
    /// even when no node alone is overloaded: the pipeline at 60/s loads each 10 ms stage to
    /// ρ = 0.6, and the two on one core to ρ_host = 1.2; on two cores (ρ_host = 0.6) or without
    /// the host there is no warning.
    func testValidateWarnsAboutAnOverloadedHost() throws {
        let folder = try BinaryRunner.temporaryDirectory()
        func validate(_ hosts: String, _ host: String) throws -> (status: Int32, stderr: String) {
            let file = folder + "/scenario.yaml"
            try pipeline(hosts: hosts, host: host).replacingOccurrences(of: "rate: 30/s", with: "rate: 60/s")
                .write(toFile: file, atomically: true, encoding: .utf8)
            let result = try BinaryRunner.run(["validate", file])
            return (result.status, result.stderr.replacingOccurrences(of: file, with: "scenario.yaml"))
        }
        let overloaded = try validate("hosts: {box: {cores: 1}}", ", host: box")
        XCTAssertEqual(overloaded.status, 0, overloaded.stderr)
        XCTAssertTrue(overloaded.stderr.hasPrefix("scenario.yaml:4:14: warning: hosts.box: host `box` is offered a load of 1.2 "
                                                  + "(≥ 1): its nodes' work needs more than its 1 core"), overloaded.stderr)
        XCTAssertTrue(overloaded.stderr.contains("hint: add cores, move nodes to another host"), overloaded.stderr)
        XCTAssertFalse(overloaded.stderr.contains("nodes.s"), overloaded.stderr)
        XCTAssertEqual(try validate("hosts: {box: {cores: 2}}", ", host: box").stderr, "")
        XCTAssertEqual(try validate("", "").stderr, "")
    }
}

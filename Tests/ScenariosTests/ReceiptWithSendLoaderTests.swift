// SPDX-License-Identifier: GPL-3.0-or-later
import XCTest
import ScenarioModel
import Scenarios

/// `call: {serverWorkStarts: withSend}` as the loader reads and checks it: only on a pipeline
/// stage after the first, with a `serverWork`, over rest or grpc without a pool, between
/// single stations; every refusal located at the key.
final class ReceiptWithSendLoaderTests: XCTestCase {
    /// A pipeline front → s (stage 1 called over REST with `call`), `protocols` and nodes as given.
    private func pipeline(call: String, protocols: String = "protocols: {rest: {serverWork: 300us}}",
                          sNode: String = "{kind: server}") -> String {
        """
        name: p
        run: {requests: 10}
        models:
          f: {serviceTime: 1ms}
          m: {serviceTime: 1ms}
        nodes:
          front: {kind: server}
          s: \(sNode)
          c: {kind: client}
        deployment:
          kind: pipeline
          stages:
            - {model: f, on: front}
            - {model: m, on: s, via: rest, call: \(call)}
        workload:
          - {kind: image, from: c, arrivals: {process: poisson, rate: 1/s}}
        \(protocols)
        """
    }

    private func diagnostics(_ text: String) -> [String] {
        do {
            _ = try ScenarioLoader.load(yaml: text, file: "p.yaml")
            XCTFail("expected errors")
            return []
        } catch {
            return (error as? ScenarioLoadError)?.diagnostics.map(\.rendered) ?? ["\(error)"]
        }
    }

    /// Read on a later stage: the placement's settings carry it; `afterSend` is today's default.
    func testTheKeyIsReadOnALaterStage() throws {
        let config = try ScenarioLoader.load(yaml: pipeline(call: "{serverWorkStarts: withSend}"), file: "p.yaml")
        XCTAssertEqual(config.deployment.placements[1].call?.serverWorkStarts, .withSend)
        let plain = try ScenarioLoader.load(yaml: pipeline(call: "{serverWorkStarts: afterSend}"), file: "p.yaml")
        XCTAssertEqual(plain.deployment.placements[1].call?.serverWorkStarts, .afterSend)
    }

    /// An unknown value, a call without serverWork, a pooled call and a node group at the
    /// called end are each located at `deployment.stages.1.call.serverWorkStarts`.
    func testBadCombinationsAreLocatedAtTheKey() {
        let unknown = diagnostics(pipeline(call: "{serverWorkStarts: early}"))
        XCTAssertTrue(unknown.contains { $0.contains("deployment.stages.1.call.serverWorkStarts") && $0.contains("withSend") },
                      "\(unknown)")
        let noWork = diagnostics(pipeline(call: "{serverWorkStarts: withSend}", protocols: ""))
        XCTAssertEqual(noWork.count, 1, "\(noWork)")
        XCTAssertTrue(noWork[0].hasPrefix("p.yaml:14:") && noWork[0].contains("deployment.stages.1.call.serverWorkStarts")
                      && noWork[0].contains("no `serverWork`"), "\(noWork)")
        let pooled = diagnostics(pipeline(call: "{serverWorkStarts: withSend, poolSize: 4}"))
        XCTAssertTrue(pooled.contains { $0.contains("deployment.stages.1.call.serverWorkStarts") && $0.contains("pooled") },
                      "\(pooled)")
        let group = diagnostics(pipeline(call: "{serverWorkStarts: withSend}", sNode: "{kind: server, count: 2}"))
        XCTAssertTrue(group.contains { $0.contains("deployment.stages.1.call.serverWorkStarts") && $0.contains("node group") },
                      "\(group)")
    }

    /// Under `protocols:` (every call of the protocol), on a pipeline's first stage (called by
    /// the source) and on a single deployment, the key is refused where it is written.
    func testOnlyAPipelineStageAfterTheFirstMayOverlap() {
        let global = diagnostics(pipeline(call: "{}", protocols: "protocols: {rest: {serverWork: 300us, serverWorkStarts: withSend}}"))
        XCTAssertEqual(global.count, 1, "\(global)")
        XCTAssertTrue(global[0].contains("protocols.rest.serverWorkStarts") && global[0].contains("per call"), "\(global)")
        let first = diagnostics("""
            name: p
            run: {requests: 10}
            models:
              m: {serviceTime: 1ms}
              n: {serviceTime: 1ms}
            nodes:
              s: {kind: server}
              t: {kind: server}
              c: {kind: client}
            deployment:
              kind: pipeline
              stages:
                - {model: m, on: s, via: rest, call: {serverWork: 1ms, serverWorkStarts: withSend}}
                - {model: n, on: t}
            workload:
              - {kind: image, from: c, arrivals: {process: poisson, rate: 1/s}}
            """)
        XCTAssertEqual(first.count, 1, "\(first)")
        XCTAssertTrue(first[0].contains("deployment.stages.0.call.serverWorkStarts") && first[0].contains("the first stage"),
                      "\(first)")
        let single = diagnostics("""
            name: p
            run: {requests: 10}
            models:
              m: {serviceTime: 1ms}
            nodes:
              s: {kind: server}
              c: {kind: client}
            deployment: {kind: single, model: m, on: s, via: rest, call: {serverWork: 1ms, serverWorkStarts: withSend}}
            workload:
              - {kind: image, from: c, arrivals: {process: poisson, rate: 1/s}}
            """)
        XCTAssertEqual(single.count, 1, "\(single)")
        XCTAssertTrue(single[0].contains("deployment.call.serverWorkStarts") && single[0].contains("pipeline stage after the first"),
                      "\(single)")
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import XCTest
@testable import Scenarios

/// The sections beyond the M/M/c core: hardware, models' extra keys, node settings, links,
/// routes, every deployment kind, every arrival process, video streams, SLOs, includes.
final class SectionLoaderTests: XCTestCase {
    /// `everything.yaml` (with its two included catalog files) against the expected config,
    /// section by section, so that a difference names its section.
    func testEverythingFixtureLoadsFieldByField() throws {
        let config = try ScenarioLoader.load(path: Fixtures.url("valid/everything.yaml").path)
        XCTAssertEqual(config.name, "everything")
        XCTAssertEqual(config.seed, 2024)
        XCTAssertEqual(config.run, RunSettings(duration: 600, warmupDuration: 30, replications: 3))
        XCTAssertEqual(config.hardware, [
            HardwareSpec(name: "a100-40g", kind: .gpu, memoryBytes: 40 * 1_073_741_824, idlePowerWatts: 50, busyPowerWatts: 400,
                         pricePerHour: 3.06, workers: 1),
            HardwareSpec(name: "orin", kind: .gpu, memoryBytes: 32e9, idlePowerWatts: 5, busyPowerWatts: 60,
                         powerModes: [PowerMode(name: "15W", powerCapWatts: 15, speedFactor: 0.45),
                                      PowerMode(name: "MAXN", powerCapWatts: 60, speedFactor: 1)]),
            HardwareSpec(name: "xeon-16", kind: .cpu, memoryBytes: 64e9, idlePowerWatts: 60, busyPowerWatts: 180,
                         pricePerHour: 0.5, workers: 4),
        ])
        XCTAssertEqual(config.models, [
            ModelSpec(name: "resnet50", serviceTime: .lognormal(mean: 0.02, cv: 0.3),
                      serviceTimeOn: [HardwareServiceTime(hardware: "a100-40g", serviceTime: .lognormal(mean: 0.004, cv: 0.2))],
                      memoryBytes: 200e6, artifactBytes: 98e6, outputBytes: 4e3,
                      batching: BatchingSpec(maxBatchSize: 8, maxQueueDelay: 0.005, alpha: 0.1),
                      accuracy: AccuracySpec(top1: 0.76, classes: 1000, errorCorrelation: 0.4,
                                             confidenceWhenRight: 0.8, confidenceWhenWrong: 0.45)),
            ModelSpec(name: "mobilenet", serviceTime: nil,
                      serviceTimeOn: [HardwareServiceTime(hardware: "orin", serviceTime: .deterministic(value: 0.012)),
                                      HardwareServiceTime(hardware: "xeon-16", serviceTime: .gamma(mean: 0.03, cv: 0.5))],
                      memoryBytes: 20e6, accuracy: AccuracySpec(top1: 0.7, classes: 1000)),
        ])
        XCTAssertEqual(config.models[1].accuracy?.errorCorrelation, 0.5, "correlation defaults to 0.5")
        XCTAssertEqual(config.nodes, [
            NodeSpec(name: "client", kind: .client, workers: 1),
            NodeSpec(name: "gateway", kind: .server, workers: 4, hardware: "xeon-16"),
            NodeSpec(name: "local-d", kind: .server, workers: 2, hardware: "xeon-16", memoryBytes: 32e9, pricePerHour: 1.2),
            NodeSpec(name: "cloud-b", kind: .cloud, workers: 1, hardware: "a100-40g", instances: 3,
                     autoscaling: AutoscalingSpec(min: 1, max: 8, metric: .utilization, target: 0.6, interval: 30, step: 2,
                                                  cooldown: 60, scaleInDelay: 300, boot: .lognormal(mean: 90, cv: 0.2),
                                                  billingMinimum: 60,
                                                  modelLoad: .deterministic(value: 20))),
            NodeSpec(name: "edge-e", kind: .edge, workers: 1, hardware: "orin", powerMode: "15W", memoryBytes: 16e9),
            {
                var broker = NodeSpec(name: "mq", kind: .broker, workers: 1, brokerServiceTime: .deterministic(value: 0.0003))
                broker.brokerDelivery = BrokerDelivery(persistence: .deterministic(value: 0.001), ackLoss: 0.01, redeliveryAfter: 10)
                return broker
            }(),
            NodeSpec(name: "repo", kind: .repository, workers: 1),
        ])
        XCTAssertEqual(config.links, [
            LinkSpec(a: "gateway", b: "cloud-b", latency: .normal(mean: 0.02, sd: 0.002), bandwidthBitsPerSecond: 500e6),
            LinkSpec(a: "client", b: "gateway", latency: .deterministic(value: 0.0005), bandwidthBitsPerSecond: 1e9, loss: 0.001),
            LinkSpec(a: "gateway", b: "local-d", latency: .exponential(mean: 200 * 1e-6),
                     outages: [LinkOutage(start: 120, duration: 1.5), LinkOutage(start: 600, duration: 30)],
                     failures: LinkFailureProcess(upTime: .exponential(mean: 7200), downTime: .deterministic(value: 300))),
            LinkSpec(a: "gateway", b: "edge-e", latency: .deterministic(value: 0.002), bandwidthBitsPerSecond: 100e6,
                     sharing: .none),
            LinkSpec(a: "local-d", b: "mq", latency: .deterministic(value: 0.0002)),
        ])
        XCTAssertEqual(config.routes, [RouteSpec(from: "local-d", to: "edge-e", via: ["gateway"]),
                                       RouteSpec(from: "client", to: "gateway", via: [])])
        XCTAssertEqual(config.deployment, .collaborative(CollaborativeSpec(
            dispatchFrom: "local-d", fuseAt: "local-d",
            branches: [.init(placement: Placement(model: "resnet50", node: "cloud-b", via: .queue), weight: 2),
                       .init(placement: Placement(model: "mobilenet", node: "edge-e", via: .grpc)),
                       .init(placement: Placement(model: "mobilenet", node: "local-d"))],
            fusion: FusionSpec(method: .weighted, deadline: 0.15, quorum: 2, onQuorumMissed: .fail, cost: .deterministic(value: 0.001)))))
        XCTAssertEqual(config.workloads, [
            WorkloadSpec(kind: .image, source: "client", arrivals: .poisson(rate: 50), payloadBytes: .uniform(min: 100e3, max: 500e3)),
            WorkloadSpec(kind: .video, source: "client", arrivals: .streams(count: 16, interval: 2), payloadBytes: .deterministic(value: 2e6),
                         video: VideoSpec(fps: 25, segmentSeconds: 2, framesProcessed: 8)),
        ])
        XCTAssertEqual(config.slo, SLOSpec(
            latency: [LatencyObjective(statistic: .percentile(99), bound: 0.2), LatencyObjective(statistic: .percentile(50), bound: 0.08),
                      LatencyObjective(statistic: .mean, bound: 0.1), LatencyObjective(statistic: .max, bound: 2),
                      LatencyObjective(statistic: .percentile(99.9), bound: 0.5)],
            accuracyFloor: 0.9, costCeilingPerHour: 5, edgePowerCeilingWatts: 20))
    }

    func testDistributedFixture() throws {
        let config = try ScenarioLoader.load(path: Fixtures.url("valid/distributed.yaml").path)
        XCTAssertEqual(config.deployment, .distributed(DistributedSpec(
            splitFrom: "local-d", aggregator: "local-d",
            parts: [.init(placement: Placement(model: "retrieval", node: "local-d"), share: 0.5),
                    .init(placement: Placement(model: "retrieval", node: "cloud-b", via: .rest), share: 0.3),
                    .init(placement: Placement(model: "retrieval", node: "edge-e", via: .grpc), share: 0.2)],
            mergeCost: .deterministic(value: 0.002))))
        XCTAssertEqual(config.nodes[1].instances, 2)
        XCTAssertEqual(config.workloads[0].video, VideoSpec(fps: 30, segmentSeconds: 1), "framesProcessed defaults to fps × segment")
        XCTAssertEqual(config.workloads[0].video?.framesProcessed, 30)
        XCTAssertEqual(config.workloads[1].arrivals, .mmpp(states: [MMPPState(rate: 20, meanDuration: 30), MMPPState(rate: 200, meanDuration: 5)]))
        XCTAssertNil(config.workloads[1].source)
        XCTAssertNil(config.slo)
    }

    func testCascadeFixtureWithDiurnalAndTraceArrivals() throws {
        let config = try ScenarioLoader.load(path: Fixtures.url("valid/cascade.yaml").path)
        XCTAssertEqual(config.deployment, .cascade(CascadeSpec(stages: [
            .init(placement: Placement(model: "small", node: "edge-e"), threshold: 0.8),
            .init(placement: Placement(model: "big", node: "cloud-b", via: .rest), threshold: 0),
        ])), "the last stage's threshold defaults to 0")
        XCTAssertEqual(config.workloads[0].arrivals, .diurnal(points: [RatePoint(time: 0, rate: 10), RatePoint(time: 43_200, rate: 120)],
                                                              period: 86_400))
        guard case .trace(let times) = config.workloads[1].arrivals else { return XCTFail("\(config.workloads[1].arrivals)") }
        XCTAssertEqual(times.count, 5)
        for (a, b) in zip(times, [0, 0.0125, 0.0125, 0.04, 1.2]) { XCTAssertEqual(a, b, accuracy: 1e-15) }
    }

    func testContractCollaborativeSnippetLoadsAsWritten() throws {
        let config = try ScenarioLoader.load(path: Fixtures.url("valid/collaborative-contract.yaml").path)
        XCTAssertEqual(config.deployment, .collaborative(CollaborativeSpec(
            fuseAt: "local-d",
            branches: [.init(placement: Placement(model: "resnet50", node: "cloud-b", via: .rest)),
                       .init(placement: Placement(model: "mobilenet", node: "edge-e", via: .grpc))],
            fusion: FusionSpec(method: .mean, deadline: 0.15, quorum: 1))))
        guard case .collaborative(let spec) = config.deployment else { return }
        XCTAssertNil(spec.dispatchFrom, "from defaults to nil (the fusion node)")
        XCTAssertEqual(spec.fusion.onQuorumMissed, .wait)
        XCTAssertEqual(spec.branches.map(\.weight), [1, 1])
    }

    func testNodeDefaultsComeFromHardware() throws {
        let yaml = mmcExample(replacing: "nodes:\n  s: {kind: server, workers: 4}", with: """
            hardware:
              cpu8: {kind: cpu, workers: 8}
              gpu: {kind: gpu}
            nodes:
              s: {kind: server, hardware: cpu8}
              t: {kind: server, hardware: gpu}
              u: {kind: cloud, hardware: cpu8, workers: 2}
            """).replacingOccurrences(of: "deployment: {kind: single, model: m, on: s}",
                                      with: "deployment: {kind: pipeline, stages: [{model: m, on: s}, {model: m, on: t}, {model: m, on: u}]}")
        let config = try ScenarioLoader.load(yaml: yaml, file: "t.yaml")
        XCTAssertEqual(config.nodes.map(\.workers), [8, 1, 2])
        XCTAssertEqual(config.nodes.map(\.instances), [1, 1, 1])
        XCTAssertEqual(config.nodes[2].totalWorkers, 2)
    }

    func testDeploymentDefaults() throws {
        let yaml = mmcExample(replacing: "deployment: {kind: single, model: m, on: s}", with: """
            deployment:
              kind: collaborative
              fuseAt: s
              branches: [{model: m, on: s}, {model: m, on: t, via: rest}]
              fusion: {method: vote}
            """).replacingOccurrences(of: "s: {kind: server, workers: 4}", with: "s: {kind: server, workers: 4}\n  t: {kind: edge}")
        let config = try ScenarioLoader.load(yaml: yaml, file: "t.yaml")
        XCTAssertEqual(config.deployment, .collaborative(CollaborativeSpec(
            dispatchFrom: nil, fuseAt: "s",
            branches: [.init(placement: Placement(model: "m", node: "s"), weight: 1),
                       .init(placement: Placement(model: "m", node: "t", via: .rest), weight: 1)],
            fusion: FusionSpec(method: .vote, deadline: nil, quorum: nil, onQuorumMissed: .wait, cost: nil))))
        XCTAssertTrue(config.links.isEmpty)
        XCTAssertNil(config.slo)
        XCTAssertEqual(config.workloads[0].source, nil)
        XCTAssertNil(config.workloads[0].payloadBytes)
    }

    func testSingleDeploymentWithQueueAndBroker() throws {
        let yaml = mmcExample(replacing: "deployment: {kind: single, model: m, on: s}",
                              with: "deployment: {kind: single, model: m, on: s, via: queue}")
            .replacingOccurrences(of: "s: {kind: server, workers: 4}",
                                  with: "s: {kind: server, workers: 4}\n  mq: {kind: broker, serviceTime: {dist: exponential, mean: 300us}}")
        let config = try ScenarioLoader.load(yaml: yaml, file: "t.yaml")
        XCTAssertEqual(config.deployment, .single(Placement(model: "m", node: "s", via: .queue)))
        XCTAssertEqual(config.nodes[1], NodeSpec(name: "mq", kind: .broker, workers: 1, brokerServiceTime: .exponential(mean: 300 * 1e-6)))
    }

    func testLatencyStatisticKeys() {
        XCTAssertEqual(ScenarioDecoder.latencyStatistic("p99"), .percentile(99))
        XCTAssertEqual(ScenarioDecoder.latencyStatistic("p99.9"), .percentile(99.9))
        XCTAssertEqual(ScenarioDecoder.latencyStatistic("p5"), .percentile(5))
        XCTAssertEqual(ScenarioDecoder.latencyStatistic("mean"), .mean)
        XCTAssertEqual(ScenarioDecoder.latencyStatistic("max"), .max)
        for bad in ["p0", "p100", "p", "p.5", "p99.", "p1e1", "P99", "p-1", "p099", "p9 9"] {
            XCTAssertNil(ScenarioDecoder.latencyStatistic(bad), bad)
        }
    }

    func testIncludesMergeSectionsInOrderAndResolvePathsPerFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hybridsim-include-\(UUID().uuidString)")
        let catalog = directory.appendingPathComponent("catalog")
        try FileManager.default.createDirectory(at: catalog, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "include: [models.yaml]\nhardware:\n  gpu: {kind: gpu, workers: 3}\nnodes:\n  s: {kind: server, hardware: gpu}\n"
            .write(to: catalog.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        try "models:\n  m: {serviceTime: {dist: empirical, file: samples.csv}}\n"
            .write(to: catalog.appendingPathComponent("models.yaml"), atomically: true, encoding: .utf8)
        try "ms\n10\n20\n".write(to: catalog.appendingPathComponent("samples.csv"), atomically: true, encoding: .utf8)
        let main = directory.appendingPathComponent("main.yaml")
        try """
            include: [catalog/base.yaml, catalog/models.yaml]
            name: included
            run: {requests: 10}
            models:
              n: {serviceTime: 1ms}
            deployment: {kind: pipeline, stages: [{model: m, on: s}, {model: n, on: s}]}
            workload:
              - {kind: image, arrivals: {process: poisson, rate: 1/s}}
            """.write(to: main, atomically: true, encoding: .utf8)
        let config = try ScenarioLoader.load(path: main.path)
        XCTAssertEqual(config.models.map(\.name), ["m", "n"], "included entries first, a file reached twice is read once")
        XCTAssertEqual(config.models[0].serviceTime, .empirical(samples: [0.01, 0.02]), "the CSV is relative to models.yaml")
        XCTAssertEqual(config.nodes, [NodeSpec(name: "s", kind: .server, workers: 3, hardware: "gpu")])

        // An override can name the included files too.
        let overridden = try ScenarioLoader.load(path: main.path, overrides: ["include=[catalog/base.yaml]", "models.n.serviceTime=2ms"])
        XCTAssertEqual(overridden.models.map(\.name), ["m", "n"])
        XCTAssertEqual(overridden.models[1].serviceTime, .deterministic(value: 0.002))
    }

    func testOverridesChangeEveryKindOfIncludedEntry() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hybridsim-include-set-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // site.yaml includes hardware.yaml: every section an included file may hold, one level deep and two.
        try "hardware:\n  gpu: {kind: gpu, workers: 3}\n"
            .write(to: directory.appendingPathComponent("hardware.yaml"), atomically: true, encoding: .utf8)
        try """
            include: [hardware.yaml]
            models:
              m: {serviceTime: 1ms}
            nodes:
              client: {kind: client}
              s: {kind: server, hardware: gpu}
            links:
              - {between: [client, s], latency: 1ms}
            """.write(to: directory.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        let main = directory.appendingPathComponent("main.yaml")
        try """
            include: [site.yaml]
            name: included-set
            run: {requests: 10}
            deployment: {kind: pipeline, stages: [{model: m, on: s}]}
            workload:
              - {kind: image, from: client, arrivals: {process: poisson, rate: 1/s}}
            """.write(to: main, atomically: true, encoding: .utf8)
        let overrides = ["hardware.gpu.workers=5", "models.m.serviceTime=3ms", "nodes.s.workers=4", "links.0.latency=7ms"]
        let config = try ScenarioLoader.load(path: main.path, overrides: overrides)
        XCTAssertEqual(config.hardware.first { $0.name == "gpu" }?.workers, 5, "hardware from a file included by an included file")
        XCTAssertEqual(config.models.map(\.serviceTime), [.deterministic(value: 0.003)])
        XCTAssertEqual(config.nodes.first { $0.name == "s" }?.workers, 4)
        XCTAssertEqual(config.links.map(\.latency), [.deterministic(value: 0.007)])

        // A sweep point with the same settings decodes to the same scenario: one mechanism.
        try """
            include: [site.yaml]
            name: included-set
            run: {requests: 10}
            deployment: {kind: pipeline, stages: [{model: m, on: s}]}
            workload:
              - {kind: image, from: client, arrivals: {process: poisson, rate: 1/s}}
            sweep:
              grid:
                hardware.gpu.workers: [5]
                models.m.serviceTime: [3ms]
                nodes.s.workers: [4]
                links.0.latency: [7ms]
            """.write(to: main, atomically: true, encoding: .utf8)
        let sweep = try ScenarioLoader.loadSweep(path: main.path)
        XCTAssertEqual(sweep.points.count, 1)
        XCTAssertEqual(sweep.points[0].config.models, config.models)
        XCTAssertEqual(sweep.points[0].config.nodes, config.nodes)
        XCTAssertEqual(sweep.points[0].config.hardware, config.hardware)
        XCTAssertEqual(sweep.points[0].config.links, config.links)

        // A typo in an included entry's key is still caught, at the override.
        XCTAssertThrowsError(try ScenarioLoader.load(path: main.path, overrides: ["nodes.s.wrokers=4"])) { error in
            let rendered = (error as? ScenarioLoadError)?.diagnostics.map(\.rendered).joined(separator: "\n") ?? ""
            XCTAssertTrue(rendered.contains("--set:1:"), rendered)
            XCTAssertTrue(rendered.contains("wrokers"), rendered)
        }
    }

    func testAScenarioWithoutLinksNeedsNoRoutes() throws {
        let config = try ScenarioLoader.load(path: Fixtures.url("valid/distributed.yaml").path)
        XCTAssertTrue(config.links.isEmpty)
        XCTAssertTrue(config.routes.isEmpty)
    }

    func testByteFormatting() {
        XCTAssertEqual(ScenarioDecoder.formatBytes(36e9), "36 GB")
        XCTAssertEqual(ScenarioDecoder.formatBytes(1.5e6), "1.5 MB")
        XCTAssertEqual(ScenarioDecoder.formatBytes(40 * 1_073_741_824), "42.95 GB")
        XCTAssertEqual(ScenarioDecoder.formatBytes(512), "512 B")
    }
}

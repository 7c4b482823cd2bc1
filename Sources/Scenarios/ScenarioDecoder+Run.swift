// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel
import SimCore

extension ScenarioDecoder {
    static let runKeys = ["requests", "duration", "warmupRequests", "warmup", "replications"]
    /// Largest number of replications accepted. Every replication's result (its latency
    /// histogram, up to about 260 KB, and its timeline) is held until the run ends: 10 000
    /// replications of scenarios/mmc-example.yaml need about 0.8 GB (docs/scenario-format.md).
    static let maxReplications = 10_000
    /// Largest `requests` and `warmupRequests` accepted: 10¹⁵, far beyond any run that ends in
    /// reasonable wall-clock time, and small enough that request counters (which compare
    /// against ten times `requests` for drops) cannot overflow.
    static let maxRequests = 1_000_000_000_000_000

    /// `run: {requests | duration, warmupRequests | warmup, replications}`.
    mutating func decodeRun(_ node: ScenarioNode, path: KeyPath) -> RunSettings? {
        guard let run = MappingReader(node, path: path, keys: Self.runKeys, log: &log) else { return nil }
        let before = log.count
        var settings = RunSettings()

        switch (run.keyNode("requests"), run.keyNode("duration")) {
        case (nil, nil):
            log.error("needs `requests` or `duration` (exactly one)", at: node, path: path,
                      hint: "e.g. `requests: 100000` (completed after warm-up) or `duration: 10m` (simulated time)")
        case (let r?, let d?):
            let later = r.location < d.location ? ("duration", d) : ("requests", r)
            log.error("`requests` and `duration` are both set: set exactly one", at: later.1, path: path.appending(later.0))
        default:
            if let value = run["requests"] {
                settings.requests = integer(value, path: path.appending("requests"), in: 1...Self.maxRequests)
            }
            if let value = run["duration"] {
                settings.duration = quantity(value, path: path.appending("duration"), kind: .time, positive: true)
            }
        }

        if let w = run.keyNode("warmupRequests"), let t = run.keyNode("warmup") {
            let later = w.location < t.location ? ("warmup", t) : ("warmupRequests", w)
            log.error("`warmupRequests` and `warmup` are both set: set at most one", at: later.1, path: path.appending(later.0))
        } else {
            if let value = run["warmupRequests"] {
                settings.warmupRequests = integer(value, path: path.appending("warmupRequests"), in: 0...Self.maxRequests) ?? 0
            }
            if let value = run["warmup"] {
                settings.warmupDuration = quantity(value, path: path.appending("warmup"), kind: .time, positive: false)
            }
        }
        if let value = run["replications"] {
            settings.replications = integer(value, path: path.appending("replications"), in: 1...Self.maxReplications) ?? 1
        }
        return log.count == before ? settings : nil
    }
}

extension ScenarioDecoder {
    /// Refuses a run whose expected simulated length (`ScenarioConfig.expectedRunLength`: warm-up plus
    /// duration, or the requests ÷ the total mean arrival rate) passes the engine's clock
    /// limit, at `duration` or `requests`. Runs that pass it by chance stop at the limit with
    /// a warning instead (docs/engine.md).
    mutating func checkRunLength(_ config: ScenarioConfig, runNode: ScenarioNode) {
        let length = config.expectedRunLength
        guard !(length <= SimTimeConversion.clockLimitSeconds) else { return }
        let key = config.run.duration == nil ? "requests" : "duration"
        guard case .mapping(let entries) = runNode.content,
              let node = entries.first(where: { $0.key.scalarText == key })?.value else { return }
        let what = key == "requests"
            ? "(warm-up + requests) ÷ the workloads' total mean arrival rate"
            : "warm-up + duration"
        log.error("the run would last about \(Self.format(length)) s of simulated time (\(what)): more than the engine's clock limit of 1e9 s (about 31.7 years)",
                  at: node, path: KeyPath.root.appending("run").appending(key),
                  hint: "use fewer requests, a shorter duration or a higher arrival rate")
    }
}

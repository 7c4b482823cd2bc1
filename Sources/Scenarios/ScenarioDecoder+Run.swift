// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim

extension ScenarioDecoder {
    static let runKeys = ["requests", "duration", "warmupRequests", "warmup", "replications"]
    /// Largest number of replications accepted (a guard against typos such as `5_000_000`).
    static let maxReplications = 1_000_000

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
                settings.requests = integer(value, path: path.appending("requests"), in: 1...Int.max)
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
                settings.warmupRequests = integer(value, path: path.appending("warmupRequests"), in: 0...Int.max) ?? 0
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

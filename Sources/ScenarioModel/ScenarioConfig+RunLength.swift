// SPDX-License-Identifier: GPL-3.0-or-later

extension ScenarioConfig {
    /// The expected simulated length of a replication of this scenario, seconds: warm-up +
    /// duration, or (warm-up + measured requests) ÷ the workloads' total mean arrival rate
    /// (0 when there is no arrival rate).
    public var expectedRunLength: Double {
        let rate = workloads.reduce(0) { $0 + $1.arrivals.meanRate }
        if let duration = run.duration {
            return duration + (run.warmupDuration ?? (rate > 0 ? Double(run.warmupRequests) / rate : 0))
        }
        let requests = Double(run.requests ?? 0) + Double(run.warmupRequests)  // each may be near Int.max
        return (run.warmupDuration ?? 0) + (rate > 0 ? requests / rate : 0)
    }
}

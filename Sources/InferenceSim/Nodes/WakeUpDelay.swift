// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel
import SimCore

/// A node's `wakeUp` as the setup time of its FIFO station's workers (docs/cost-models.md,
/// "Wake-up after idle"): the extra of `WakeUpSpec` for the time the worker had been idle,
/// in whole nanoseconds. Deterministic; no random stream.
final class WakeUpDelay: WorkerSetup {
    let spec: WakeUpSpec

    init(_ spec: WakeUpSpec) { self.spec = spec }

    func setupTime(afterIdle idle: SimTime) -> SimTime {
        SimTimeConversion.nanoseconds(fromSeconds: spec.extra(afterIdle: Double(idle) * 1e-9))
    }
}

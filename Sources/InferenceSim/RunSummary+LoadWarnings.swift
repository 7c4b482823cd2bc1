// SPDX-License-Identifier: GPL-3.0-or-later
import Results
import ScenarioModel

extension RunSummary {
    /// Combines `results` (in replication order) of a run of `config`, with the warnings of
    /// the scenario's offered load of nodes and shared hosts (`OfferedLoad`) and link load (`LinkLoad`).
    public init(config: ScenarioConfig, results: [ReplicationResult]) {
        self.init(config: config, results: results,
                  loadWarnings: OfferedLoad.warnings(for: config) + OfferedLoad.hostWarnings(for: config)
                      + LinkLoad.warnings(for: config))
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import InferenceSim
import Results
import ScenarioModel

/// Runs scenarios for tests below `Planning`: every replication in index order on the calling
/// thread. Each replication depends only on its index, so these are the results
/// `Planning.ReplicationRunner` returns for any number of threads.
public enum Replications {
    public static func results(of config: ScenarioConfig, options: MeasurementOptions = .init()) throws
        -> [ReplicationResult] {
        try (0..<max(1, config.run.replications)).map {
            try Simulation(config: config, replication: $0, options: options).run()
        }
    }
}

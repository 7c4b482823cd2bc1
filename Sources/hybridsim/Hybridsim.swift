// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation
import Reporting

/// The `hybridsim` command line: wiring only. Exit codes follow CONTRACT.md:
/// 0 success, 2 invalid scenario or arguments, 1 any other failure (`plan`: 3 no feasible plan;
/// `run`, `check`: 4 the system is unstable, its evidence written).
@main
struct Hybridsim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hybridsim",
        abstract: "Simulate hybrid ML-inference deployments: latency, throughput, cost, energy, accuracy.",
        discussion: """
            Examples:
              hybridsim run scenarios/mmc-example.yaml --seed 11 --out results/mmc
              hybridsim run scenarios/pipeline-3.yaml --set workload.0.arrivals.rate=40/s
              hybridsim validate scenarios/*.yaml
              hybridsim sweep scenarios/sweep-example.yaml --jobs 4 --out results/sweep
              hybridsim plan scenarios/plan-example.yaml
              hybridsim check scenarios/image-collaborative.yaml --baseline results/baselines/image-collaborative.json
              hybridsim report results/mmc
              hybridsim export notebook results/mmc
              hybridsim calibrate handler.csv --column handler_ms --model digits
            """,
        version: HybridsimVersion.string,
        subcommands: [RunCommand.self, ValidateCommand.self, SweepCommand.self, MergeCommand.self, PlanCommand.self, CheckCommand.self,
                      ReportCommand.self, ExportCommand.self, SchemaCommand.self, CalibrateCommand.self])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data(failure.message.utf8))
            Foundation.exit(failure.exitCode)
        } catch {
            // Argument errors exit 2 (CONTRACT.md), help and version 0, anything else 1.
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? 2 : 1)
        }
    }
}

/// A failure already explained to the user, with the exit code it maps to.
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32

    /// The scenario or the arguments are invalid (exit 2).
    static func invalid(_ message: String) -> CommandFailure {
        CommandFailure(message: message.hasSuffix("\n") ? message : message + "\n", exitCode: 2)
    }

    /// Anything else went wrong (exit 1).
    static func failed(_ message: String) -> CommandFailure {
        CommandFailure(message: "error: " + message + "\n", exitCode: 1)
    }

    /// The run was stopped early as unstable; its results were written (exit 4, docs/cli.md).
    static func unstable(_ message: String) -> CommandFailure {
        CommandFailure(message: "error: " + message + "\n", exitCode: unstableExitCode)
    }

    /// The exit code of `run` and `check` when the system is unstable (`StabilityMonitor`).
    static let unstableExitCode: Int32 = 4
}

// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation
import Scenarios

/// `hybridsim validate FILE...`: check scenarios without running them.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scenario files without running them; print every problem.",
        discussion: """
            Prints each problem as FILE:LINE:COL: error: MESSAGE, and each warning about a valid scenario (a link offered a load of 1 or more) as FILE:LINE:COL: warning: MESSAGE on standard error; warnings do not change the exit status. Every point of a `sweep:` section and every candidate of a `plan:` section is checked too.
            Exit 0 when every file is valid, 2 otherwise.
            Example:
              hybridsim validate scenarios/*.yaml
            """)

    @Argument(help: "Scenario files (YAML).")
    var files: [String]

    @OptionGroup var settings: SetOptions<Self>

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one scenario file") }
    }

    func run() throws {
        var report = ""
        for file in files {
            do {
                _ = try ScenarioInput.loadChecked(file, overrides: settings.overrides)
                ScenarioInput.printWarnings(file, overrides: settings.overrides)
                print("\(file): ok")
            } catch let failure as CommandFailure {
                report += failure.message
            }
        }
        if !report.isEmpty { throw CommandFailure.invalid(report) }
    }
}

extension ValidateCommand: SharedOptionHelp {
    static let set = "Override a scenario value before checking (repeatable)."
}

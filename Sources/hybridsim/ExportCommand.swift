// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser

/// `hybridsim export ...`: results in other tools' formats.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export results in other tools' formats.",
        discussion: """
            Example:
              hybridsim export notebook results/image-collaborative
            """,
        subcommands: [ExportNotebookCommand.self])
}

// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Scenarios

/// `hybridsim schema`: print the JSON Schema of scenario files.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of scenario files.",
        discussion: """
            The schema checks the shape of a file (keys, types, units); `hybridsim validate` also checks
            names across sections, memory, routes and shares.
            Example:
              hybridsim schema > hybridsim-scenario.schema.json
            """)

    func run() throws {
        print(ScenarioSchema.jsonSchema())
    }
}

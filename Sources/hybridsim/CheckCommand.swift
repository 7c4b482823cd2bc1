// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Foundation
import Reporting
import Results

/// `hybridsim check FILE --baseline B.json`: run a scenario and compare its summary with a
/// stored one under the scenario's `check:` tolerances (docs/reporting.md).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run a scenario and compare its summary with a baseline under the file's `check:` tolerances.",
        discussion: """
            Prints metric, baseline, now, delta, tolerance and verdict. Exit 0 when every metric is within its
            tolerance (or inside the run's own 95% interval, or improved), 1 on a regression or a missing metric,
            2 when the scenario, the arguments or the baseline are invalid, 4 when the system is unstable (the run
            stopped early; nothing is compared and --update writes nothing). Make the baseline with the same
            overrides as the check.
            Examples:
              hybridsim check scenarios/image-collaborative.yaml --baseline B.json --update
              hybridsim check scenarios/image-collaborative.yaml --baseline B.json \\
                  --junit check.xml
            """)

    @Argument(help: "The scenario file (YAML), with a `check:` section.")
    var file: String

    @Option(name: .long, help: "The baseline summary.json to compare with.")
    var baseline: String

    @Option(name: .long, help: "Also write the result as JUnit XML to this file.")
    var junit: String?

    @Flag(name: .long, help: "Rewrite the baseline with this run's summary (atomically) instead of failing on differences.")
    var update = false

    @OptionGroup var output: OutOption<Self>

    @OptionGroup var settings: SetOptions<Self>

    @OptionGroup var jobs: JobsOption<Self>

    func validate() throws {
        try OutputPathCheck.check(output.out, folder: true)
        try OutputPathCheck.check(junit, option: "--junit")
        try OutputPathCheck.check(baseline, option: "--baseline")
    }

    func run() throws {
        let started = ContinuousClock.now
        let config = try ScenarioInput.load(file, overrides: settings.overrides)
        guard !config.check.isEmpty || update else {
            throw CommandFailure.invalid("\(file): error: the scenario has no `check:` section; hint: add tolerances such as "
                                         + "`check: {latency_s.p99: {relative: 10%}}`")
        }
        let stored = try loadBaseline(required: !update)
        let execution = ScenarioExecution(config: config, file: file, overrides: settings.overrides,
                                          jobs: jobs.threads, started: started)
        let outcome = try execution.run(writingTo: output.out.map(ResultsFolder.init(path:)))
        if let instability = outcome.summary.instability {
            // Lower bounds are no figures to compare or to keep as a baseline.
            throw CommandFailure.unstable("\(file): \(instability.warning); not compared with the baseline"
                                          + (update ? " and the baseline is left as it was" : "")
                                          + "; hint: lower the load or add capacity (docs/engine.md, \"Stability detection\")")
        }
        let now = SummaryDocument(outcome.summary, wallSeconds: outcome.wallSeconds)
        let check = RegressionCheck(baseline: stored ?? .object([]), now: now, tolerances: config.check)
        if update {
            if stored != nil, !config.check.isEmpty { print(CheckTable.render(check), terminator: "") }
            do {
                try AtomicFile.write(now.json.rendered(), to: baseline)
            } catch {
                throw CommandFailure.failed("cannot write \(baseline): \(error.localizedDescription)")
            }
            print("updated baseline \(baseline)")
            return
        }
        print(CheckTable.render(check), terminator: "")
        if let junit {
            do {
                try AtomicFile.write(JUnitReport.render(check, scenario: config.name, wallSeconds: outcome.wallSeconds), to: junit)
            } catch {
                throw CommandFailure.failed("cannot write \(junit): \(error.localizedDescription)")
            }
        }
        if check.failed {
            let failures = check.comparisons.filter(\.fails)
            throw CommandFailure(message: failures.map { "\($0.verdict == .missing ? "missing" : "regression"): \($0.explanation)\n" }.joined(), exitCode: 1)
        }
    }

    /// The stored summary; nil when it is absent and not `required`. Unreadable ⇒ exit 2.
    private func loadBaseline(required: Bool) throws -> JSONValue? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: baseline, isDirectory: &isDirectory), isDirectory.boolValue {
            let inside = (baseline as NSString).appendingPathComponent(ResultsFolder.summaryFile)
            let hint = FileManager.default.fileExists(atPath: inside) ? "did you mean `--baseline \(inside)`?"
                : "give the baseline's summary.json file"
            throw CommandFailure.invalid("\(baseline): error: the baseline is a folder, not a summary.json file; hint: \(hint)")
        }
        let folder = (baseline as NSString).deletingLastPathComponent
        if (baseline as NSString).lastPathComponent == ResultsFolder.summaryFile,
           let refusal = ResultsFolderState.refusal(directory: folder.isEmpty ? "." : folder) {
            throw CommandFailure.invalid("error: the baseline's folder is not usable: \(refusal)")
        }
        guard FileManager.default.fileExists(atPath: baseline) else {
            if !required { return nil }
            throw CommandFailure.invalid("\(baseline): error: the baseline does not exist; hint: make it with "
                                         + "`hybridsim check \(file) --baseline \(baseline) --update` and the same --set overrides")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(try String(contentsOfFile: baseline, encoding: .utf8))
        } catch {
            if !required { return nil }
            throw CommandFailure.invalid("\(baseline): error: not a readable summary.json: \(Self.describe(error))")
        }
        guard case .object = value else {
            if !required { return nil }
            throw CommandFailure.invalid("\(baseline): error: not a summary.json: expected a JSON object")
        }
        return value
    }
}

extension CheckCommand {
    /// A reading or parsing error in words (a Foundation error by its description, not its dump).
    static func describe(_ error: any Error) -> String {
        if let error = error as? CocoaError { return error.localizedDescription }
        return "\(error)"
    }
}

extension CheckCommand: SharedOptionHelp {
    static let out = "Also write the run's results folder (summary, resolved scenario, manifest) here."
}

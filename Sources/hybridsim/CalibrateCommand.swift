// SPDX-License-Identifier: GPL-3.0-or-later
import ArgumentParser
import Calibration
import Foundation
import NumericCore
import Reporting

/// `hybridsim calibrate FILE`: measurements to scenario inputs (docs/calibration.md).
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit service times and protocol overheads to measurements; write a scenario fragment.",
        discussion: """
            Reads per-request samples (one CSV column with a unit), the validation testbed's records, or Triton perf_analyzer's CSV export. Fits exponential, gamma, lognormal, Weibull and shifted variants by maximum likelihood, chooses by AIC and says why, and fits protocol overhead as fixed + per-byte time (--overhead-family: one family for the protocol costs). Writes OUT/fragment.yaml (for a scenario's include:) and OUT/calibration.json, and prints a table.
            Bad or too little data: FILE:LINE:COL: error: MESSAGE on standard error and exit 2.
            Examples:
              hybridsim calibrate handler.csv --column handler_ms --model digits
              hybridsim calibrate times.csv --column latency --unit us --family lognormal
              hybridsim calibrate records.csv --config rest-single --out results/cal-rest
              hybridsim calibrate records.csv --overhead-calls idle-found --overhead-level 80.25
              hybridsim calibrate records.csv --overhead-calls idle-found --overhead-load-dependence
              hybridsim calibrate perf.csv --format perf-analyzer
              hybridsim calibrate handler.csv --column handler_ms --bootstrap 200
              hybridsim calibrate records.csv --server-work-from busy-gaps
              hybridsim calibrate records.csv --server-work --overhead-family empirical
              hybridsim report results/cal-rest
            """)

    @Argument(help: "The CSV of measurements.")
    var file: String

    @Option(name: .long, help: "The column of per-request times (a column of samples).")
    var column: String?

    @Option(name: .long, help: "The unit of bare numbers in --column (ns, us, ms, s); default: the header's suffix (`_ms`).")
    var unit: String?

    @Option(name: .long, help: "column, testbed or perf-analyzer (default: guessed from the header).")
    var format: String?

    @Option(name: .long, help: "Fit only this family (\(FitFamily.allCases.map(\.rawValue).joined(separator: ", "))).")
    var family: String?

    @Option(name: .long, help: "The model name in the fragment.")
    var model: String = "model"

    @Option(name: .long, help: "Testbed records: fit the protocol costs (callOverhead, serverWork) with this family only, as --family does for the service time; `empirical` writes the samples beside the fragment (overhead-samples.csv, server-work-samples.csv; prefixed rest-, grpc- with several protocols).")
    var overheadFamily: String?

    @Option(name: .long, help: "Testbed records: the config to calibrate, when the file holds several.")
    var config: String?

    @Option(name: .long, help: "KS p-values by a parametric bootstrap with N replicates (default 0: asymptotic only).")
    var bootstrap: Int = 0

    @Option(name: .long, help: "Seed of the bootstrap's random stream.")
    var seed: UInt64 = 1

    @Flag(name: .long, help: "Testbed records: fit the server's own work per call as the protocol's serverWork and leave it out of callOverhead (measured as --server-work-from says; default receipt).")
    var serverWork = false

    @Option(name: .long, help: "Testbed records: fit the protocol overhead on `all` calls of its level (default) or on the `idle-found` ones, the calls that found a one-executor server idle (no wait for the worker in their overhead).")
    var overheadCalls: String = OverheadCalls.Selection.all.rawValue

    @Option(name: .long, help: "Testbed records: the offered_rps level (as in the records) to fit the protocol overhead on (default: the lowest).")
    var overheadLevel: Double?

    @Flag(name: .long, help: "Testbed records: measure the protocol overhead's load dependence (the mean at each level of what callOverhead is fitted to, a chi-square test of the level means) and, when the levels differ (p < 0.05), write it as the protocol's callOverheadScaling (off by default: it changes predictions).")
    var overheadLoadDependence = false

    @Option(name: .long, help: "Testbed records: how serverWork is measured (implies --server-work): receipt (handler_start - server_receive of each call) or busy-gaps (next handler start - previous handler end while the next call waited; one-executor FIFO servers).")
    var serverWorkFrom: String?

    @OptionGroup var output: OutOption<Self>

    func validate() throws {
        if let format, Calibration.Format(rawValue: format) == nil {
            throw ValidationError("--format must be one of \(Calibration.Format.allCases.map(\.rawValue).joined(separator: ", ")), got `\(format)`")
        }
        if let family, FitFamily(rawValue: family) == nil {
            throw ValidationError("--family must be one of \(FitFamily.allCases.map(\.rawValue).joined(separator: ", ")), got `\(family)`")
        }
        if let overheadFamily, FitFamily(rawValue: overheadFamily) == nil {
            throw ValidationError("--overhead-family must be one of \(FitFamily.allCases.map(\.rawValue).joined(separator: ", ")), got `\(overheadFamily)`")
        }
        if OverheadCalls.Selection(rawValue: overheadCalls) == nil {
            throw ValidationError("--overhead-calls must be one of \(OverheadCalls.Selection.allCases.map(\.rawValue).joined(separator: ", ")), got `\(overheadCalls)`")
        }
        if let overheadLevel, !(overheadLevel >= 0 && overheadLevel.isFinite) {
            throw ValidationError("--overhead-level must be a non-negative offered_rps, got \(overheadLevel)")
        }
        if let serverWorkFrom, Calibration.ServerWorkEstimator(rawValue: serverWorkFrom) == nil {
            throw ValidationError("--server-work-from must be one of \(Calibration.ServerWorkEstimator.allCases.map(\.rawValue).joined(separator: ", ")), got `\(serverWorkFrom)`")
        }
        if !(0...100_000).contains(bootstrap) {
            throw ValidationError("--bootstrap must be between 0 and 100000 replicates, got \(bootstrap)")
        }
        if model.isEmpty || !model.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) {
            throw ValidationError("--model must be a plain name (letters, digits, `_`, `-`, `.`), got `\(model)`")
        }
    }

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw CommandFailure.invalid("\(file):1:1: error: cannot read the measurements: \(error.localizedDescription)")
        }
        var request = Calibration.Request(file: file, format: format.flatMap(Calibration.Format.init(rawValue:)), column: column,
                                          unit: unit, family: family.flatMap(FitFamily.init(rawValue:)), model: model, config: config,
                                          bootstrap: bootstrap > 0 ? FitSelection.Bootstrap(replicates: bootstrap, seed: seed) : nil)
        request.serverWork = serverWorkFrom.flatMap(Calibration.ServerWorkEstimator.init(rawValue:)) ?? (serverWork ? .receipt : nil)
        request.overheadCalls = OverheadCalls.Selection(rawValue: overheadCalls) ?? .all
        request.overheadLevel = overheadLevel
        request.overheadLoadDependence = overheadLoadDependence
        request.overheadFamily = overheadFamily.flatMap(FitFamily.init(rawValue:))
        request.optionNames = Self.optionNames
        let calibration: Calibration
        do {
            calibration = try Calibration.make(request, text: text)
        } catch {
            throw CommandFailure.invalid(error.description)
        }
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let folder = output.out ?? "results/calibration-\(name)"
        do {
            for samples in ScenarioFragment.samplesFiles(calibration) {
                try AtomicFile.write(samples.text, to: folder + "/" + samples.name)
            }
            try AtomicFile.write(ScenarioFragment.render(calibration), to: folder + "/fragment.yaml")
            try AtomicFile.write(CalibrationDocument.render(calibration).rendered(), to: folder + "/calibration.json")
        } catch {
            throw CommandFailure.failed("cannot write \(folder): \(error.localizedDescription)")
        }
        print(CalibrationTable.render(calibration), terminator: "")
        print("wrote \(folder)/fragment.yaml and \(folder)/calibration.json")
    }
}

extension CalibrateCommand {
    /// How this command spells the choices the calibration's reasons and hints name.
    static let optionNames = Calibration.OptionNames(family: "--family", overheadFamily: "--overhead-family")
}

extension CalibrateCommand: SharedOptionHelp {
    static let out = "Output directory (default: results/calibration-<file name>/)."
}

// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore
import ScenarioModel
import Scenarios

/// Measurements turned into scenario inputs: the service-time fit of one model, the protocol
/// overheads and the load dependence, with what they were computed from
/// (docs/calibration.md). Build one with `Calibration.make`; write it with `ScenarioFragment`,
/// `CalibrationDocument` and `CalibrationTable`.
public struct Calibration: Sendable {
    /// How the input file was read.
    public enum Format: String, Sendable, CaseIterable {
        case column, testbed
        case perfAnalyzer = "perf-analyzer"
    }

    /// How `serverWork` is measured from testbed records (docs/calibration.md).
    public enum ServerWorkEstimator: String, Sendable, CaseIterable {
        /// handler_start − server_receive of each call (`ProtocolOverhead`).
        case receipt
        /// The gaps between handlers of a one-executor server's busy periods (`BusyGaps`).
        case busyGaps = "busy-gaps"
    }

    /// How the caller's interface names the choices that reasons and hints refer to (the
    /// command line: `--family`, `--overhead-family`), so that the library spells no interface.
    public struct OptionNames: Sendable, Equatable {
        /// The choice of the service time's family.
        public var family: String
        /// The choice of the protocol costs' family (testbed records).
        public var overheadFamily: String

        public init(family: String, overheadFamily: String) {
            (self.family, self.overheadFamily) = (family, overheadFamily)
        }

        /// `Request`'s own property names, for callers without options of their own.
        public static let requestProperties = OptionNames(family: "`family`", overheadFamily: "`overheadFamily`")
    }

    /// What the user asked for.
    public struct Request: Sendable {
        public var file: String
        public var format: Format?
        public var column: String?
        public var unit: String?
        public var family: FitFamily?
        public var model: String
        public var config: String?
        /// Bootstrap KS p-values (nil: the asymptotic ones only).
        public var bootstrap: FitSelection.Bootstrap?
        /// Testbed records: fit the server's own work per call as `serverWork` by this estimator
        /// and leave it out of `callOverhead` (nil: no serverWork).
        public var serverWork: ServerWorkEstimator?
        /// Testbed records: which calls of the overhead's level the overhead is fitted on.
        public var overheadCalls = OverheadCalls.Selection.all
        /// Testbed records: the offered_rps level the overhead is fitted on (nil: the lowest).
        public var overheadLevel: Double?
        /// Testbed records: fit `callOverhead` and `serverWork` with this family only (nil: the
        /// choice by AIC); `empirical` writes the samples themselves (`ScenarioFragment.samplesFiles`).
        public var overheadFamily: FitFamily?
        /// Testbed records: measure the overhead's load dependence over the levels and write it,
        /// when significant, as each protocol's `callOverheadScaling` (`OverheadLoadDependence`).
        public var overheadLoadDependence = false
        /// How the caller names `family` and `overheadFamily` in the texts it shows.
        public var optionNames = OptionNames.requestProperties

        public init(file: String, format: Format? = nil, column: String? = nil, unit: String? = nil,
                    family: FitFamily? = nil, model: String = "model", config: String? = nil,
                    bootstrap: FitSelection.Bootstrap? = nil) {
            (self.file, self.format, self.column, self.unit) = (file, format, column, unit)
            (self.family, self.model, self.config, self.bootstrap) = (family, model, config, bootstrap)
        }
    }

    public var request: Request
    public var format: Format
    /// Which samples the service time was fitted to, in words.
    public var samplesUsed: String
    /// The unit the input was written in (for the report).
    public var unit: String
    /// The service-time samples fitted, seconds (empty for perf_analyzer).
    public var samples: [Double]
    /// The fits and the choice (nil for perf_analyzer, which has no samples).
    public var selection: FitSelection?
    /// perf_analyzer only: the mean compute time at the lowest concurrency, seconds.
    public var meanOnlySeconds: Double?
    public var loadDependence: LoadDependence?
    /// The load dependence as `serviceTimeScaling`, written to the fragment (nil: not significant).
    public var serviceTimeScaling: ServiceTimeScaling?
    public var protocols: [ProtocolOverhead]
    /// Testbed records: the calls each protocol's overhead was fitted on, in `protocols`' order.
    public var overheadCalls: [OverheadCalls] = []
    /// Testbed records with `overheadLoadDependence`: each protocol's overhead by load level, in
    /// `protocols`' order (empty without it).
    public var overheadLoadDependence: [OverheadLoadDependence] = []
    /// perf_analyzer only: the fixed client-side overhead per request at the lowest concurrency.
    public var fixedOverheadSeconds: Double?
    /// Requests left out because their status was not `ok`.
    public var failedRequests: Int

    /// Reads `text` (the contents of `request.file`) and calibrates.
    public static func make(_ request: Request, text: String) throws(CalibrationFailure) -> Calibration {
        let table = try CSVTable.parse(text, file: request.file)
        let format = request.format ?? (request.column != nil ? .column
            : TestbedRecords.matches(table) ? .testbed : PerfAnalyzerCSV.matches(table) ? .perfAnalyzer : nil)
        guard let format else {
            throw .at(table.header.first!.location, "cannot tell what this CSV holds: it is neither testbed records nor a perf_analyzer export",
                      hint: "name the column of per-request times with --column, e.g. --column handler_ms")
        }
        if request.serverWork != nil, format != .testbed {
            throw .at(table.header.first!.location, "--server-work needs the testbed's records: only they time each call at the server",
                      hint: "drop --server-work, or calibrate from testbed records (server_receive_ns, handler_start_ns)")
        }
        if request.overheadFamily != nil, format != .testbed {
            let names = request.optionNames
            throw .at(table.header.first!.location, "\(names.overheadFamily) needs the testbed's records: only they give the protocol overhead of each call",
                      hint: "drop \(names.overheadFamily) (\(names.family) sets the service time's family), or calibrate from testbed records")
        }
        if request.overheadCalls != .all || request.overheadLevel != nil || request.overheadLoadDependence, format != .testbed {
            throw .at(table.header.first!.location, "--overhead-calls, --overhead-level and --overhead-load-dependence need the testbed's records: only they time each call and its load level",
                      hint: "drop them, or calibrate from testbed records")
        }
        var result = Calibration(request: request, format: format, samplesUsed: "", unit: "s", samples: [], selection: nil,
                                 meanOnlySeconds: nil, loadDependence: nil, serviceTimeScaling: nil, protocols: [], fixedOverheadSeconds: nil, failedRequests: 0)
        switch format {
        case .column:
            guard let name = request.column else {
                throw .at(table.header.first!.location, "--format column needs --column", hint: "e.g. --column handler_ms")
            }
            let column = try SampleColumn.read(table, column: name, unit: request.unit)
            result.unit = column.unit
            result.samplesUsed = "\(column.seconds.count) samples of column `\(name)`"
            result.samples = column.seconds
            result.selection = try select(column.seconds, request, at: column.headerLocation, what: "column `\(name)`")
        case .testbed:
            try result.calibrateTestbed(table)
        case .perfAnalyzer:
            let export = try PerfAnalyzerCSV.read(table)
            let lowest = export.levels[0]
            result.unit = "us"
            result.meanOnlySeconds = lowest.computeSeconds
            result.fixedOverheadSeconds = lowest.overheadSeconds
            result.samplesUsed = "perf_analyzer means at concurrency \(NumberText.number(lowest.concurrency)) (the lowest of \(export.levels.count) levels)"
            result.loadDependence = LoadDependence.fromMeans(variable: "concurrency",
                                                             points: export.levels.map { ($0.concurrency, $0.computeSeconds) })
        }
        return result
    }

    private mutating func calibrateTestbed(_ table: CSVTable) throws(CalibrationFailure) {
        let all = try TestbedRecords.read(table, receipts: request.serverWork == .receipt)
        failedRequests = all.failedCount
        let configs = Array(Set(all.records.map(\.config))).sorted()
        let config: String
        if let asked = request.config {
            guard configs.contains(asked) else {
                throw .at(all.headerLocation, "no `ok` record of config `\(asked)`",
                          hint: "the configs are \(configs.map { "`\($0)`" }.joined(separator: ", "))")
            }
            config = asked
        } else {
            guard configs.count == 1 else {
                throw .at(all.headerLocation, "the records hold \(configs.count) configs: say which one to calibrate",
                          hint: "pass --config with one of \(configs.map { "`\($0)`" }.joined(separator: ", "))")
            }
            config = configs[0]
        }
        let records = all.records.filter { $0.config == config }
        var overheadRequest = request
        overheadRequest.family = request.overheadFamily  // `family` is the service time's
        let levelLocation = table.column("offered_rps").map { table.header[$0].location } ?? all.headerLocation
        overheadCalls = try OverheadCalls.choose(records, selection: request.overheadCalls, level: request.overheadLevel,
                                                 at: levelLocation)
        // One level per protocol remains, so ProtocolOverhead's own choice of the lowest is that level.
        protocols = try ProtocolOverhead.fit(overheadCalls.flatMap(\.used), busyGapRecords: records, serverWork: request.serverWork,
                                             header: all.headerLocation) { samples, what, locations throws(CalibrationFailure) in
            if let family = request.overheadFamily {
                try Self.refuseOutOfSupport(samples, of: family, what: what, at: locations, header: all.headerLocation)
            }
            return try Self.select(samples, overheadRequest, at: all.headerLocation, what: what, empiricalAvailable: false,
                                   familyOption: request.optionNames.overheadFamily)
        }
        // Sequential records (offered_rps 0, one request at a time) are the lowest load for the
        // protocol overhead above; service times come from the open-loop levels when there are any.
        let openLoop = records.contains { $0.offeredRPS > 0 } ? records.filter { $0.offeredRPS > 0 } : records
        let loads = Array(Set(openLoop.map(\.offeredRPS))).sorted()
        let groups = loads.map { load in (load: load, seconds: openLoop.filter { $0.offeredRPS == load }.map(\.serviceSeconds)) }
        loadDependence = LoadDependence.fromSamples(variable: "offered_rps", groups: groups)
        unit = "ns"
        if loadDependence?.isSignificant == true {
            samples = groups[0].seconds
            samplesUsed = "\(samples.count) handler times of config `\(config)` at offered_rps \(NumberText.number(loads[0]))"
                + " (the lowest load: service time depends on load, so levels are not pooled)"
        } else {
            samples = groups.flatMap(\.seconds)
            samplesUsed = "\(samples.count) handler times of config `\(config)`"
                + (loads.count > 1 ? ", pooled over \(loads.count) load levels (no significant load dependence)" : "")
        }
        selection = try Self.select(samples, request, at: all.headerLocation, what: "config `\(config)`")
        guard let selection else { return }
        if let loadDependence {
            // The node's load per request as the simulator counts it: the service time and,
            // with one protocol, its serverWork (with several, which one the node's calls take
            // depends on the scenario: the service time alone).
            let callWork = protocols.count == 1 ? protocols[0].serverWork?.chosen.mean ?? 0 : 0
            serviceTimeScaling = UtilizationScaling.make(loadDependence, fittedMean: selection.chosen.mean + callWork)
        }
        if request.overheadLoadDependence {
            overheadLoadDependence = try zip(protocols, overheadCalls).map { overhead, calls throws(CalibrationFailure) in
                try OverheadLoadDependence.measure(records, overhead: overhead, base: calls, serviceMean: selection.chosen.mean,
                                                   at: levelLocation)
            }
        }
    }

    /// The fit of the family asked for (or the choice among all) to `samples`, with too few
    /// samples an error at `location`. When KS rejects the chosen family, the reason ends with
    /// what to do: the family `empirical` where the fragment can carry the samples themselves
    /// (`empiricalAvailable`: service times), else how far the fit's mean is from the samples'.
    /// `familyOption` names the choice that set `request.family` in the reason and hints
    /// (nil: `request.optionNames.family`).
    static func select(_ samples: [Double], _ request: Request, at location: SourceLocation,
                       what: String, empiricalAvailable: Bool = true,
                       familyOption: String? = nil) throws(CalibrationFailure) -> FitSelection {
        let familyOption = familyOption ?? request.optionNames.family
        let family = request.family, bootstrap = request.bootstrap
        let needed = family?.minimumSamples ?? FitFamily.exponential.minimumSamples
        guard samples.count >= needed else {
            let asked = family.map { "`\($0.rawValue)` needs" } ?? "fitting needs"
            throw .at(location, "too few samples: \(asked) at least \(needed), \(what) has \(samples.count)",
                      hint: "collect more requests; minimums: " + FitFamily.allCases.map { "\($0.rawValue) \($0.minimumSamples)" }.joined(separator: ", "))
        }
        let result: Result<FitSelection, NumericError>
        if let family {
            result = Result { () throws(NumericError) in try FitSelection.forced(family, samples: samples, bootstrap: bootstrap, askedWith: familyOption) }
        } else {
            result = Result { () throws(NumericError) in try FitSelection.choose(samples: samples, bootstrap: bootstrap) }
        }
        switch result {
        case .success(var selection):
            if request.family == nil, selection.chosen.ks.bestPValue < 0.05 {
                selection.reason += empiricalAvailable ? ": consider \(familyOption) empirical"
                    : ": a protocol cost has no empirical form, so the fragment carries it; its mean is "
                    + "\(NumberText.duration(selection.chosen.mean)), the samples' \(NumberText.duration(samples.reduce(0, +) / Double(samples.count)))"
            }
            return selection
        case .failure(let error):
            var message = error.description
            if case .invalidArgument(_, let text) = error { message = text }
            throw .at(location, "cannot fit \(what): \(message)", hint: family == nil ? nil : "try another \(familyOption)")
        }
    }
}

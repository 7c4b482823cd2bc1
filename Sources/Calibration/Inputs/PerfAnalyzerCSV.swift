// SPDX-License-Identifier: GPL-3.0-or-later
import Scenarios

/// Triton perf_analyzer's CSV export (`perf_analyzer -f file.csv`): one row per concurrency
/// level, times in microseconds averaged over the level's requests.
///
/// These are aggregates, not samples: no distribution shape can be fitted from them. What can
/// be taken (docs/calibration.md): the mean server compute time per request (input + infer +
/// output) at each level, hence its load dependence; and the client-side overhead per request
/// (client send + network/server send-receive + client receive), a fixed cost with no byte
/// counts to split off a per-byte part.
public struct PerfAnalyzerCSV: Sendable {
    public static let requiredColumns = ["Concurrency", "Server Compute Input", "Server Compute Infer",
                                         "Server Compute Output", "Client Send", "Network+Server Send/Recv", "Client Recv"]

    /// One concurrency level.
    public struct Level: Sendable {
        public var concurrency: Double
        /// Inferences per second measured at the level (nil when the column is absent).
        public var throughput: Double?
        /// Server compute input + infer + output, seconds per request.
        public var computeSeconds: Double
        /// Client send + network/server send-receive + client receive, seconds per request.
        public var overheadSeconds: Double
    }

    public var levels: [Level]
    public var headerLocation: SourceLocation

    /// Whether `table` looks like a perf_analyzer export.
    public static func matches(_ table: CSVTable) -> Bool { table.column("Concurrency") != nil && table.column("Server Compute Infer") != nil }

    public static func read(_ table: CSVTable) throws(CalibrationFailure) -> PerfAnalyzerCSV {
        var index: [String: Int] = [:]
        for name in requiredColumns { index[name] = try table.requiredColumn(name, why: "perf_analyzer's CSV export has it") }
        let throughputColumn = table.column("Inferences/Second")
        var levels: [Level] = []
        var problems: [Diagnostic] = []
        for row in table.rows {
            var values: [String: Double] = [:]
            for name in requiredColumns {
                let cell = row[index[name]!]
                if let value = Double(cell.text), value.isFinite, value >= 0 {
                    values[name] = value
                } else {
                    problems.append(Diagnostic(location: cell.location, keyPath: name,
                                               message: "`\(cell.text)` is not a non-negative number",
                                               hint: "perf_analyzer writes microseconds as plain numbers"))
                }
            }
            guard values.count == requiredColumns.count else { continue }
            let us = 1e-6
            levels.append(Level(concurrency: values["Concurrency"]!,
                                throughput: throughputColumn.flatMap { Double(row[$0].text) },
                                computeSeconds: (values["Server Compute Input"]! + values["Server Compute Infer"]! + values["Server Compute Output"]!) * us,
                                overheadSeconds: (values["Client Send"]! + values["Network+Server Send/Recv"]! + values["Client Recv"]!) * us))
        }
        if !problems.isEmpty { throw CalibrationFailure(problems) }
        let header = table.header.first?.location ?? SourceLocation(file: table.file, line: 1, column: 1)
        guard !levels.isEmpty else {
            throw .at(header, "no usable samples: the export has no concurrency level", hint: "run perf_analyzer with -f after a measurement")
        }
        return PerfAnalyzerCSV(levels: levels.sorted { $0.concurrency < $1.concurrency }, headerLocation: header)
    }
}

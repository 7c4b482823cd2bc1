// SPDX-License-Identifier: GPL-3.0-or-later
import Results
import Foundation

/// A sweep's output folder read back for a report: its `sweep.csv` (docs/sweeps.md) — the
/// swept key paths and, per finished point, their values and the metric columns.
public struct ReportedSweep: Sendable {
    /// One finished point: its index, its value of each swept key path ("" when the point
    /// does not set it), and its metric cells by column name.
    public struct Point: Sendable {
        public var index: Int
        public var settings: [String]
        public var metrics: [String: String]

        /// A metric as a number; nil when the cell is empty or not a number.
        public func number(_ column: String) -> Double? { metrics[column].flatMap(Double.init) }

        /// Whether the point's run was stopped early as unstable (`outcome` column; tables
        /// without it are of stable points).
        public var isUnstable: Bool { metrics["outcome"] == SummaryDocument.unstableOutcome }
    }

    public var directory: String
    public var keyPaths: [String]
    public var points: [Point]

    /// The sweep's label: its folder's name.
    public var name: String { URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent }

    /// True when `directory` holds a `sweep.csv`.
    public static func isSweep(directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/sweep.csv")
    }

    /// Reads `DIR/sweep.csv`; throws when it is unreadable or not a sweep table.
    public static func load(directory: String) throws -> ReportedSweep {
        let path = directory + "/sweep.csv"
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ReportedRun.LoadError(description: "\(path): not readable: \(error.localizedDescription)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).makeIterator()
        guard let headerLine = lines.next() else { throw ReportedRun.LoadError(description: "\(path): empty") }
        let header = CSVLine.fields(of: headerLine)
        guard header.first == "point", let seedColumn = header.firstIndex(of: "seed") else {
            throw ReportedRun.LoadError(description: "\(path): not a sweep table (its header must start with `point` and hold `seed`)")
        }
        let keyPaths = Array(header[1..<seedColumn])
        var points: [Point] = []
        var lineNumber = 1
        while let line = lines.next() {
            lineNumber += 1
            let cells = CSVLine.fields(of: line)
            guard cells.count == header.count, let index = Int(cells[0]) else {
                throw ReportedRun.LoadError(description: "\(path):\(lineNumber): expected \(header.count) cells starting with the point index")
            }
            var metrics: [String: String] = [:]
            for column in (seedColumn + 1)..<header.count { metrics[header[column]] = cells[column] }
            points.append(Point(index: index, settings: Array(cells[1..<seedColumn]), metrics: metrics))
        }
        return ReportedSweep(directory: directory, keyPaths: keyPaths, points: points)
    }
}

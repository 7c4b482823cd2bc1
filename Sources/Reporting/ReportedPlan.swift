// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Results

/// A planner's output folder read back for a report: `plan.json` (the search, the best plan,
/// near-misses) and `pareto.csv` (every simulated candidate), as docs/planner.md describes.
public struct ReportedPlan: Sendable {
    /// One simulated candidate of `pareto.csv`.
    public struct Candidate: Sendable {
        public var index: Int
        public var settings: [String]
        public var status: String
        public var costPerHour: Double?
        public var p99Seconds: Double?
        public var accuracy: Double?
        public var feasible: Bool
        public var onFront: Bool
    }

    public var directory: String
    public var plan: PlanDocument
    public var keyPaths: [String]
    public var candidates: [Candidate]

    /// The plan's label: its folder's name.
    public var name: String { URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent }

    /// True when `directory` holds a `plan.json`.
    public static func isPlan(directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/plan.json")
    }

    /// Reads `DIR/plan.json` and `DIR/pareto.csv`; throws when either is unreadable or malformed.
    public static func load(directory: String) throws -> ReportedPlan {
        func read(_ name: String) throws -> String {
            do { return try String(contentsOfFile: directory + "/" + name, encoding: .utf8) } catch {
                throw ReportedRun.LoadError(description: "\(directory)/\(name): not readable: \(error.localizedDescription)")
            }
        }
        let planJSON: JSONValue
        do { planJSON = try JSONValue.parse(try read("plan.json")) } catch let error as ReportedRun.LoadError { throw error } catch {
            throw ReportedRun.LoadError(description: "\(directory)/plan.json: not readable JSON: \(error)")
        }
        let plan: PlanDocument
        do { plan = try PlanDocument(json: planJSON) } catch {
            throw ReportedRun.LoadError(description: "\(directory)/plan.json: \(error)")
        }
        let path = directory + "/pareto.csv"
        var lines = try read("pareto.csv").split(separator: "\n", omittingEmptySubsequences: true).map(String.init).makeIterator()
        let header = lines.next().map(CSVLine.fields(of:)) ?? []
        let required = ["candidate", "choice", "status", "cost_per_h", "latency_p99_s", "accuracy", "feasible", "on_front"]
        guard header.first == "candidate", let statusColumn = header.firstIndex(of: "status"),
              required.allSatisfy(header.contains) else {
            throw ReportedRun.LoadError(description: "\(path): not a planner table (its header needs \(required.joined(separator: ", ")))")
        }
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        var candidates: [Candidate] = []
        var lineNumber = 1
        while let line = lines.next() {
            lineNumber += 1
            let cells = CSVLine.fields(of: line)
            guard cells.count == header.count, let index = Int(cells[0]) else {
                throw ReportedRun.LoadError(description: "\(path):\(lineNumber): expected \(header.count) cells starting with the candidate index")
            }
            candidates.append(Candidate(
                index: index, settings: Array(cells[2..<statusColumn]), status: cells[statusColumn],
                costPerHour: Double(cells[column["cost_per_h"]!]), p99Seconds: Double(cells[column["latency_p99_s"]!]),
                accuracy: Double(cells[column["accuracy"]!]), feasible: cells[column["feasible"]!] == "true",
                onFront: cells[column["on_front"]!] == "true"))
        }
        return ReportedPlan(directory: directory, plan: plan, keyPaths: Array(header[2..<statusColumn]), candidates: candidates)
    }
}

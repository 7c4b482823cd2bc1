// SPDX-License-Identifier: GPL-3.0-or-later

/// The rows of a results folder's `timeline.csv` (`TimelineTable`) for one replication, per
/// node in order of first appearance: what the report draws over time.
public struct TimelineSeries: Sendable, Equatable {
    /// One sample of a node at the end of an interval.
    public struct Sample: Sendable, Equatable {
        public var time: Double
        public var instances: Double
        public var booting: Double
        public var busyWorkers: Double
        public var queue: Double
        public var utilization: Double
        public var powerWatts: Double
    }

    public var replication: Int
    public var nodes: [(name: String, samples: [Sample])]

    public static func == (a: TimelineSeries, b: TimelineSeries) -> Bool {
        a.replication == b.replication && a.nodes.map(\.name) == b.nodes.map(\.name)
            && a.nodes.map(\.samples) == b.nodes.map(\.samples)
    }

    /// Nodes whose pool changed size or booted instances: the ones worth an instances chart.
    public var scalingNodes: [(name: String, samples: [Sample])] {
        nodes.filter { node in
            node.samples.contains { $0.booting > 0 } || Set(node.samples.map(\.instances)).count > 1
        }
    }

    /// Parses `timeline.csv` text, keeping the first replication in it. Throws on a header
    /// other than `TimelineTable.header` or a malformed row (named by its line number).
    public init?(csv text: String) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let header = lines.next() else { return nil }
        guard header == TimelineTable.header else {
            throw ReportedRun.LoadError(description: "timeline.csv: unexpected header `\(header)`")
        }
        var replication: Int?
        var order: [String] = []
        var byNode: [String: [Sample]] = [:]
        var lineNumber = 1
        while let line = lines.next() {
            lineNumber += 1
            let fields = CSVLine.fields(of: String(line))
            let numbers = fields.count == 10 ? fields[3...].compactMap(Double.init) : []
            guard numbers.count == 7, let rep = Int(fields[0]), let time = Double(fields[1]) else {
                throw ReportedRun.LoadError(description: "timeline.csv:\(lineNumber): not a row of \(TimelineTable.header)")
            }
            if replication == nil { replication = rep }
            guard rep == replication else { break }
            let name = fields[2]
            if byNode[name] == nil { order.append(name) }
            byNode[name, default: []].append(Sample(
                time: time, instances: numbers[0], booting: numbers[1], busyWorkers: numbers[3], queue: numbers[4],
                utilization: numbers[5], powerWatts: numbers[6]))
        }
        guard let replication else { return nil }
        self.replication = replication
        nodes = order.map { ($0, byNode[$0]!) }
    }
}

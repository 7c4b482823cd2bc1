// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import Results

/// The opt-in per-request trace `trace.csv` (docs/summary.md): one row per measured request.
///
/// Memory stays bounded: each replication streams its rows to a part file of its own
/// (`sink(replication:)`, a buffered `Writer`), and `finish` concatenates the parts in
/// replication order into a temporary file that is renamed over `trace.csv`, so the file
/// appears whole or not at all and does not depend on which thread ran which replication.
public final class RequestTraceFile: @unchecked Sendable {
    /// Where `trace.csv` goes.
    public let path: String
    /// Rows kept per replication: its first measured requests to leave (nil: all).
    public let rowsPerReplication: Int?
    private let lock = NSLock()
    private var writers: [Int: Writer] = [:]

    public init(path: String, rowsPerReplication: Int? = nil) {
        self.path = path
        self.rowsPerReplication = rowsPerReplication
    }

    /// The sink of replication `replication` (thread-safe; each replication asks once).
    public func sink(replication: Int) throws -> any RequestTraceSink {
        let writer = try Writer(path: Self.partPath(for: path, replication: replication), limit: rowsPerReplication)
        lock.lock()
        writers[replication] = writer
        lock.unlock()
        return writer
    }

    /// After the run: flushes every part, fails if a write failed, and assembles `trace.csv`
    /// from the parts of replications 0 ..< `replications`.
    public func finish(replications: Int) throws {
        lock.lock()
        let all = writers
        writers = [:]
        lock.unlock()
        for replication in 0..<replications {
            guard let writer = all[replication] else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: Self.partPath(for: path, replication: replication)])
            }
            try writer.finish()
        }
        try Self.assemble(at: path, replications: replications)
    }

    public static let header = "replication,request,workload,arrival_s,completion_s,latency_s,outcome,"
        + LatencyBreakdown.Components().named.map { $0.name + "_s" }.joined(separator: ",")

    /// The part file of replication `replication` next to `path`.
    public static func partPath(for path: String, replication: Int) -> String {
        path + ".part\(replication)"
    }

    /// Streams one replication's rows to its part file.
    public final class Writer: RequestTraceSink {
        private let handle: FileHandle
        private var buffer = ""
        private var failure: (any Error)?
        /// Rows still to keep (`Int.max`: no limit).
        private var remaining: Int
        private static let flushBytes = 1 << 16

        /// Creates (or truncates) the part file at `path`, which keeps the first `limit` rows
        /// (all when nil).
        public init(path: String, limit: Int? = nil) throws {
            remaining = limit ?? .max
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
            handle = try FileHandle(forWritingTo: url)
            buffer.reserveCapacity(Self.flushBytes + 512)
        }


        public func record(_ row: RequestTraceRow) {
            guard remaining > 0 else { return }
            remaining -= 1
            buffer += RequestTraceFile.line(row)
            buffer += "\n"
            if buffer.utf8.count >= Self.flushBytes { flush() }
        }

        /// Writes what is buffered; the first write error is kept for `finish` (`record`
        /// cannot throw).
        private func flush() {
            guard !buffer.isEmpty else { return }
            if failure == nil {
                do { try handle.write(contentsOf: Data(buffer.utf8)) } catch { failure = error }
            }
            buffer.removeAll(keepingCapacity: true)
        }

        /// Writes the rest and closes the part; throws the first write error.
        public func finish() throws {
            flush()
            try handle.close()
            if let failure { throw failure }
        }
    }

    /// One CSV line (no newline): times in seconds with 9 decimals (exact nanoseconds);
    /// breakdown columns empty for a dropped request.
    public static func line(_ row: RequestTraceRow) -> String {
        var fields = [String(row.replication), String(row.request), String(row.workload),
                      seconds(row.arrival), seconds(row.end), seconds(row.end - row.arrival), row.outcome.rawValue]
        if let parts = row.breakdown {
            fields += parts.named.map { seconds($0.nanoseconds) }
        } else {
            fields += Array(repeating: "", count: LatencyBreakdown.Components().named.count)
        }
        return fields.joined(separator: ",")
    }

    /// `ns` as seconds with exactly 9 decimals.
    static func seconds(_ ns: Int64) -> String {
        let sign = ns < 0 ? "-" : ""
        let magnitude = ns.magnitude
        let fraction = String(magnitude % 1_000_000_000)
        return sign + String(magnitude / 1_000_000_000) + "." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }

    /// Writes `path` as the header plus the part files of replications 0 ..< `replications`
    /// in order (temporary file, then rename), and removes the parts.
    private static func assemble(at path: String, replications: Int) throws {
        let temporary = path + ".tmp"
        FileManager.default.createFile(atPath: temporary, contents: Data((header + "\n").utf8))
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        do {
            try output.seekToEnd()
            for replication in 0..<replications {
                let part = partPath(for: path, replication: replication)
                let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: part))
                while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try output.write(contentsOf: chunk)
                }
                try input.close()
            }
            try output.close()
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        for replication in 0..<replications {
            try? FileManager.default.removeItem(atPath: partPath(for: path, replication: replication))
        }
    }
}

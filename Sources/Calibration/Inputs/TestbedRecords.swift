// SPDX-License-Identifier: GPL-3.0-or-later
import Scenarios

/// The validation testbed's per-request records (docs/validation.md): a CSV whose header holds
/// at least `TestbedRecords.columns` (extra columns are ignored). Times are integer
/// nanoseconds on one monotonic clock; `status` is `ok` or an error word.
///
/// Derived per request: service time = handler_end − handler_start; client-side overhead =
/// (response − send) − service time (everything the caller waits for that is not the handler:
/// protocol, serialisation, queueing on the server's event loop, the loopback). With
/// `receipts`, also the server's own pre-handler time = handler_start − server_receive
/// (reading and decoding the request, the hand-off to the handler's thread). The raw send,
/// handler and response times are kept for estimators that need the order of calls
/// (`BusyGaps`).
public struct TestbedRecords: Sendable {
    public static let columns = ["request_id", "config", "protocol", "offered_rps", "send_ns", "server_receive_ns",
                                 "handler_start_ns", "handler_end_ns", "response_ns", "request_bytes", "response_bytes", "status"]

    /// One request that completed with status `ok`.
    public struct Record: Sendable {
        public var config: String
        public var callProtocol: String
        public var offeredRPS: Double
        /// handler_end − handler_start, seconds.
        public var serviceSeconds: Double
        /// (response − send) − service, seconds.
        public var overheadSeconds: Double
        /// request_bytes + response_bytes.
        public var bytes: Double
        /// handler_start − server_receive, seconds; nil unless read with `receipts`.
        public var serverSeconds: Double?
        /// The row's times, integer nanoseconds on the records' one monotonic clock.
        public var sendNs, handlerStartNs, handlerEndNs, responseNs: Int64
        /// Where the row's `handler_start_ns` cell is (problems about the order of calls).
        public var handlerStartLocation: SourceLocation
    }

    public var records: [Record]
    /// Rows whose status was not `ok` (left out of every fit).
    public var failedCount: Int
    /// Where the header is, for problems about the data as a whole.
    public var headerLocation: SourceLocation

    /// Whether `table`'s header holds every testbed column.
    public static func matches(_ table: CSVTable) -> Bool { columns.allSatisfy { table.column($0) != nil } }

    public static func read(_ table: CSVTable, receipts: Bool = false) throws(CalibrationFailure) -> TestbedRecords {
        var index: [String: Int] = [:]
        for name in columns { index[name] = try table.requiredColumn(name, why: "a testbed record needs it") }
        var records: [Record] = []
        var failed = 0
        var problems: [Diagnostic] = []
        for row in table.rows {
            func cell(_ name: String) -> CSVTable.Cell { row[index[name]!] }
            let status = cell("status").text
            guard status == "ok" else {
                if status.isEmpty {
                    problems.append(Diagnostic(location: cell("status").location, keyPath: "status",
                                               message: "empty status", hint: "write `ok` or an error word"))
                }
                failed += 1
                continue
            }
            func integer(_ name: String) -> Int64? {
                if let value = Int64(cell(name).text), value >= 0 { return value }
                problems.append(Diagnostic(location: cell(name).location, keyPath: name,
                                           message: "`\(cell(name).text)` is not a non-negative integer",
                                           hint: name.hasSuffix("_ns") ? "times are integer nanoseconds on one monotonic clock" : "sizes are integer bytes"))
                return nil
            }
            let rate = Double(cell("offered_rps").text)
            if rate == nil || !(rate! >= 0) || !rate!.isFinite {
                problems.append(Diagnostic(location: cell("offered_rps").location, keyPath: "offered_rps",
                                           message: "`\(cell("offered_rps").text)` is not a non-negative rate", hint: "requests per second, e.g. `120`"))
            }
            guard let send = integer("send_ns"), let start = integer("handler_start_ns"), let end = integer("handler_end_ns"),
                  let response = integer("response_ns"), let requestBytes = integer("request_bytes"),
                  let responseBytes = integer("response_bytes"), let rate, rate >= 0, rate.isFinite
            else { if problems.count >= 20 { break } else { continue } }
            if end < start {
                problems.append(Diagnostic(location: cell("handler_end_ns").location, keyPath: "handler_end_ns",
                                           message: "the handler ends (\(end)) before it starts (\(start)): negative service time",
                                           hint: "both must come from one monotonic clock"))
                continue
            }
            if response - send < end - start {
                problems.append(Diagnostic(location: cell("response_ns").location, keyPath: "response_ns",
                                           message: "the response (\(response - send) ns after sending) came before the handler's \(end - start) ns were over: negative overhead",
                                           hint: "send, handler and response times must share one monotonic clock"))
                continue
            }
            var serverSeconds: Double?
            if receipts {
                guard let receive = integer("server_receive_ns") else { continue }
                if receive > start || receive < send {
                    problems.append(Diagnostic(location: cell("server_receive_ns").location, keyPath: "server_receive_ns",
                                               message: "the server receives the request (\(receive)) outside send (\(send)) … handler start (\(start))",
                                               hint: "send, receive and handler times must share one monotonic clock"))
                    continue
                }
                serverSeconds = Double(start - receive) * 1e-9
            }
            let service = Double(end - start) * 1e-9
            records.append(Record(config: cell("config").text, callProtocol: cell("protocol").text, offeredRPS: rate,
                                  // In integer ns first: O ≥ S (the receipt) holds exactly, also in seconds.
                                  serviceSeconds: service, overheadSeconds: Double((response - send) - (end - start)) * 1e-9,
                                  bytes: Double(requestBytes + responseBytes), serverSeconds: serverSeconds,
                                  sendNs: send, handlerStartNs: start, handlerEndNs: end, responseNs: response,
                                  handlerStartLocation: cell("handler_start_ns").location))
            if problems.count >= 20 { break }
        }
        if !problems.isEmpty { throw CalibrationFailure(problems) }
        let header = table.header.first?.location ?? SourceLocation(file: table.file, line: 1, column: 1)
        guard !records.isEmpty else {
            throw .at(header, "no usable samples: \(failed) rows, none with status `ok`",
                      hint: "calibration needs requests that completed")
        }
        return TestbedRecords(records: records, failedCount: failed, headerLocation: header)
    }
}

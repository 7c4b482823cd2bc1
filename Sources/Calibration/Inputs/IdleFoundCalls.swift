// SPDX-License-Identifier: GPL-3.0-or-later

/// The calls of one load level of a **one-executor** server (one thread or one event loop
/// handles every request in turn, first come first served) that found the server idle: their
/// overhead O = (response − send) − handler holds no wait for the executor
/// (docs/calibration.md, "Calls that found the server idle").
///
/// In handler-start order, call i found the server idle when
/// - send_i ≥ response_{i−1}: the call handled before it had been answered, so the executor had
///   finished the handler and the work after it (encoding and writing the answer, which the
///   records do not stamp, but which ends before the answer arrives) before call i left the
///   client; the previous call's own post-handler time (response − handler end) is the margin
///   over "after the previous handler's end", an upper bound on that work taken call by call;
/// - and no call sent before it started its handler after it (a call it overtook was already
///   at the server when it arrived).
/// The first call of the level is never selected: what ran before it is not in the records.
/// Whether a call is selected depends on its send time and on the other calls only, not on its
/// own overhead, so with Poisson arrivals the selected overheads are those of calls that arrive
/// at an idle server.
public enum IdleFoundCalls {
    /// The criterion in words, for calibration.json and the fragment.
    public static let criterion =
        "in handler-start order, sent at or after the previous call's response, and overtaking no call sent before it"

    /// The calls of `level` (the records of one server at one offered load) that found it idle,
    /// in handler-start order.
    public static func select(_ level: [TestbedRecords.Record]) -> [TestbedRecords.Record] {
        let ordered = level.sorted { ($0.handlerStartNs, $0.sendNs) < ($1.handlerStartNs, $1.sendNs) }
        guard ordered.count > 1 else { return [] }
        // laterSends[i]: the earliest send of the calls handled after call i.
        var laterSends = [Int64](repeating: .max, count: ordered.count)
        for i in stride(from: ordered.count - 2, through: 0, by: -1) {
            laterSends[i] = min(laterSends[i + 1], ordered[i + 1].sendNs)
        }
        return (1..<ordered.count).compactMap { i in
            let call = ordered[i]
            return call.sendNs >= ordered[i - 1].responseNs && laterSends[i] >= call.sendNs ? call : nil
        }
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel
import SimCore

extension ScenarioDecoder {
    /// Each arrival process with the keys its mapping may hold.
    static let arrivalForms: [(process: String, keys: [String])] = [
        ("poisson", ["process", "rate"]),
        ("mmpp", ["process", "states"]),
        ("diurnal", ["process", "period", "points"]),
        ("trace", ["process", "file"]),
    ]
    static let arrivalProcesses = arrivalForms.map(\.process)
    static let mmppStateKeys = ["rate", "meanDuration"]
    static let ratePointKeys = ["at", "rate"]

    /// `arrivals: {process: poisson | mmpp | diurnal | trace, ...}`; the process is read first.
    mutating func decodeArrivals(_ node: ScenarioNode, path: KeyPath) -> ArrivalProcess? {
        guard let process = tag(node, path: path, key: "process", among: Self.arrivalProcesses, what: "arrival process",
                                example: "{process: poisson, rate: 3.2/s}"),
              let keys = Self.arrivalForms.first(where: { $0.process == process })?.keys,
              let reader = MappingReader(node, path: path, keys: keys, log: &log)
        else { return nil }
        switch process {
        case "poisson":
            return reader.required("rate", log: &log, hint: "e.g. `rate: 3.2/s`")
                .flatMap { quantity($0, path: path.appending("rate"), kind: .rate) }
                .map { .poisson(rate: $0) }
        case "mmpp":
            return decodeMMPP(reader, path: path)
        case "diurnal":
            return decodeDiurnal(reader, path: path)
        default:  // trace
            return decodeTrace(reader, path: path)
        }
    }

    /// `states: [{rate, meanDuration}, ...]`, at least two.
    private mutating func decodeMMPP(_ reader: MappingReader, path: KeyPath) -> ArrivalProcess? {
        guard let list = reader.required("states", log: &log, hint: "e.g. `states: [{rate: 20/s, meanDuration: 30s}, {rate: 200/s, meanDuration: 5s}]`")
            .flatMap({ sequence($0, path: path.appending("states"), minimum: 2, what: "states") })
        else { return nil }
        let before = log.count
        var states: [MMPPState] = []
        for (index, item) in list.enumerated() {
            let statePath = path.appending("states").appending(index: index)
            guard let state = MappingReader(item, path: statePath, keys: Self.mmppStateKeys, log: &log) else { continue }
            let rate = state.required("rate", log: &log).flatMap { quantity($0, path: statePath.appending("rate"), kind: .rate) }
            let duration = state.required("meanDuration", log: &log, hint: "the mean time spent in this state, e.g. `meanDuration: 30s`")
                .flatMap { quantity($0, path: statePath.appending("meanDuration"), kind: .time, positive: true) }
                .flatMap { seconds -> Double? in
                    guard seconds < Self.minimumMMPPMeanDuration, let node = state["meanDuration"] else { return seconds }
                    log.error("`\(node.scalarText ?? "")` is too short: a state lasts on average at least 1us", at: node,
                              path: statePath.appending("meanDuration"),
                              hint: "the simulator draws every state change as an event; a shorter state is not simulated")
                    return nil
                }
            if let rate, let duration { states.append(MMPPState(rate: rate, meanDuration: duration)) }
        }
        return log.count == before ? .mmpp(states: states) : nil
    }

    /// Shortest mean state duration of an `mmpp` the simulator accepts, seconds (its
    /// `MMPPArrivals.minimumMeanDuration`).
    static let minimumMMPPMeanDuration = 1e-6

    /// `period: TIME, points: [{at: TIME, rate}, ...]`: at least one point, times strictly
    /// increasing within [0, period).
    private mutating func decodeDiurnal(_ reader: MappingReader, path: KeyPath) -> ArrivalProcess? {
        let period = reader.required("period", log: &log, hint: "the length of one cycle, e.g. `period: 24h`")
            .flatMap { quantity($0, path: path.appending("period"), kind: .time, positive: true) }
        guard let list = reader.required("points", log: &log, hint: "e.g. `points: [{at: 0s, rate: 10/s}, {at: 12h, rate: 120/s}]`")
            .flatMap({ sequence($0, path: path.appending("points"), minimum: 1, what: "points") })
        else { return nil }
        let before = log.count
        var points: [RatePoint] = []
        var previous: (time: Double, text: String)?
        for (index, item) in list.enumerated() {
            let pointPath = path.appending("points").appending(index: index)
            guard let point = MappingReader(item, path: pointPath, keys: Self.ratePointKeys, log: &log) else { continue }
            let atNode = point.required("at", log: &log, hint: "the time within the period, e.g. `at: 6h`")
            let at = atNode.flatMap { quantity($0, path: pointPath.appending("at"), kind: .time, positive: false) }
            let rate = point.required("rate", log: &log).flatMap { quantity($0, path: pointPath.appending("rate"), kind: .rate) }
            if let at, let atNode {
                let text = atNode.scalarText ?? ""
                if let period, at >= period {
                    log.error("`\(text)` is not inside the period: points must be at least 0 and less than the period (\(Self.format(period)) s)",
                              at: atNode, path: pointPath.appending("at"), hint: "the curve repeats every period; a point at the period is the point at 0")
                } else if let previous, at <= previous.time {
                    log.error("`\(text)` is not after the previous point (`\(previous.text)`): points must be in strictly increasing time",
                              at: atNode, path: pointPath.appending("at"))
                }
                previous = (at, text)
            }
            if let at, let rate { points.append(RatePoint(time: at, rate: rate)) }
        }
        guard let period, log.count == before else { return nil }
        return .diurnal(points: points, period: period)
    }

    /// `file: arrivals.csv`: arrival times, one per row (the CSV conventions of `empirical`
    /// samples), not decreasing, at least one.
    private mutating func decodeTrace(_ reader: MappingReader, path: KeyPath) -> ArrivalProcess? {
        guard let fileNode = reader.required("file", log: &log, hint: "a CSV of arrival times, relative to the scenario file"),
              let rows = csvRows(fileNode, path: path.appending("file"), kind: .time, what: "the trace file")
        else { return nil }
        guard !rows.isEmpty else {
            log.error("the trace file holds no arrival times", at: fileNode, path: path.appending("file"),
                      hint: "write one time per row, such as `0.5s`")
            return nil
        }
        let backwards = zip(rows, rows.dropFirst()).filter { $0.1.value < $0.0.value }
        for (p, q) in backwards.prefix(EmpiricalSamples.maxProblems) {
            log.append(contentsOf: [Diagnostic(location: q.location, keyPath: "",
                                               message: "arrival time `\(q.text)` is earlier than the row before (`\(p.text)`): a trace must not go back in time",
                                               hint: "sort the trace by time")])
        }
        if backwards.count > EmpiricalSamples.maxProblems, let last = backwards.last {
            log.append(contentsOf: [Diagnostic(location: last.1.location, keyPath: "",
                                               message: "\(backwards.count - EmpiricalSamples.maxProblems) more rows go back in time")])
        }
        if backwards.isEmpty, let last = rows.last, SimTimeConversion.nanoseconds(fromSeconds: last.value) == 0 {
            log.append(contentsOf: [Diagnostic(location: last.location, keyPath: "",
                                               message: "the last arrival time is `\(last.text)`: a trace must end after time 0 (at least 1ns), because it repeats shifted by its last time",
                                               hint: "add a row with the time the trace ends, such as `1s`")])
            return nil
        }
        return backwards.isEmpty ? .trace(timestamps: rows.map(\.value)) : nil
    }
}

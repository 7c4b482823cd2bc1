// SPDX-License-Identifier: GPL-3.0-or-later
import Scenarios

/// Per-request times from one column of a CSV (`--column handler_ms`), converted to seconds.
///
/// The unit comes from, in order: the `unit` given (`--unit ms`), the header's suffix
/// (`handler_ms`, `handler (ms)`, `handler[us]`), or each cell's own unit (`4.2ms`). Cells are
/// read with the scenario format's quantity parser, so the same units work (`ns`, `us`, `µs`,
/// `ms`, `s`, ...). A bare number with no unit anywhere, cells in different units, a negative or
/// non-numeric value, and an empty cell are each an error at the cell.
public struct SampleColumn: Sendable {
    /// The values in seconds, in file order.
    public var seconds: [Double]
    /// Where the column's header cell is (the location of "the samples" as a whole).
    public var headerLocation: SourceLocation
    /// The unit the column was read in (`ms`), for the report.
    public var unit: String

    public static func read(_ table: CSVTable, column name: String, unit given: String?) throws(CalibrationFailure) -> SampleColumn {
        let index = try table.requiredColumn(name, why: "named by --column")
        let header = table.header[index]
        if let given, Self.timeUnitFactor(given) == nil {
            throw .at(header.location, "--unit `\(given)` is not a unit of time",
                      hint: "use one of ns, us, ms, s")
        }
        let headerUnit = Self.headerUnit(header.text)
        var columnUnit = given ?? headerUnit
        var unitSource = given != nil ? "--unit" : "the header"
        var seconds: [Double] = []
        var problems: [Diagnostic] = []
        for row in table.rows {
            let cell = row[index]
            guard !cell.text.isEmpty else {
                problems.append(Diagnostic(location: cell.location, keyPath: name, message: "empty cell: expected a time",
                                           hint: "remove the row, or fill in the measurement"))
                continue
            }
            let bare = Double(cell.text) != nil
            let text: String
            if bare {
                guard let columnUnit else {
                    problems.append(Diagnostic(location: cell.location, keyPath: name,
                                               message: "`\(cell.text)` has no unit, and neither has the header `\(header.text)`",
                                               hint: "pass --unit ms (or us, s), name the column e.g. `\(header.text)_ms`, or write `\(cell.text)ms`"))
                    break
                }
                text = cell.text + columnUnit
            } else {
                text = cell.text
                let cellUnit = String(cell.text.drop { "+-0123456789.eE".contains($0) }).trimmingSpaces()
                if let columnUnit, Self.timeUnitFactor(cellUnit) != Self.timeUnitFactor(columnUnit) {
                    problems.append(Diagnostic(location: cell.location, keyPath: name,
                                               message: "mixed units: `\(cell.text)` is in `\(cellUnit)` but the column is in `\(columnUnit)` (from \(unitSource))",
                                               hint: "write every sample of a column in one unit"))
                    continue
                }
                if columnUnit == nil { columnUnit = cellUnit; unitSource = "its first cell with a unit" }
            }
            do {
                let value = try Quantity.parse(text, as: .time).value
                guard value >= 0 else {
                    problems.append(Diagnostic(location: cell.location, keyPath: name,
                                               message: "negative time `\(cell.text)`: a measured duration cannot be below 0",
                                               hint: "check the clock used (monotonic?) and the subtraction that made it"))
                    continue
                }
                seconds.append(value)
            } catch {
                let what = cell.text.lowercased().contains("nan") ? "`\(cell.text)` is not a number" : error.message
                problems.append(Diagnostic(location: cell.location, keyPath: name, message: what,
                                           hint: "every cell of the column must be a time, e.g. `4.2` with --unit ms"))
            }
            if problems.count >= 20 { break }
        }
        if !problems.isEmpty { throw CalibrationFailure(problems) }
        guard !seconds.isEmpty else {
            throw .at(header.location, "column `\(header.text)` has no samples",
                      hint: "the file needs one row per request below the header")
        }
        return SampleColumn(seconds: seconds, headerLocation: header.location, unit: columnUnit ?? "s")
    }

    /// The time unit at the end of a header (`handler_ms`, `handler (ms)`, `handler[us]`), if any.
    static func headerUnit(_ header: String) -> String? {
        var text = Substring(Substring(header).trimmingSpaces())
        if text.hasSuffix(")") || text.hasSuffix("]") {
            let open: Character = text.hasSuffix(")") ? "(" : "["
            if let start = text.lastIndex(of: open) {
                let unit = String(text[text.index(after: start)..<text.index(before: text.endIndex)]).trimmingSpaces()
                return timeUnitFactor(unit) != nil ? unit : nil
            }
        }
        guard let underscore = text.lastIndex(of: "_") else { return nil }
        text = text[text.index(after: underscore)...]
        return timeUnitFactor(String(text)) != nil ? String(text) : nil
    }

    /// Seconds per `unit` if it is a unit of time.
    static func timeUnitFactor(_ unit: String) -> Double? {
        guard !unit.isEmpty, let quantity = try? Quantity.parse("1" + unit, as: .time) else { return nil }
        return quantity.value
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces.
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

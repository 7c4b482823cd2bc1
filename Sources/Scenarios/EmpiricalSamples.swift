// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation

/// Reads the CSV of samples of an `empirical` distribution.
///
/// Format: one sample per row, each a quantity with its unit (`12.5ms`). Blank rows and rows
/// starting with `#` are ignored. The first other row may instead be a header naming the unit
/// of the rows written without one: a unit symbol (`ms`, `KiB`) or a base unit's name
/// (`seconds`, `milliseconds`, `microseconds`, `nanoseconds`, `bytes`). A sample must not be
/// negative. Problems are located in the CSV itself (its own file, line and column).
enum EmpiricalSamples {
    /// Base unit names accepted in a header, and the symbol they stand for.
    static let headerWords = ["seconds": "s", "milliseconds": "ms", "microseconds": "us",
                              "nanoseconds": "ns", "bytes": "B", "watts": "W"]
    /// Most problems reported for one CSV; the rest are counted in one last diagnostic.
    static let maxProblems = 20

    /// One sample and where it is written.
    struct Row {
        var value: Double
        var text: String
        var location: SourceLocation
    }

    /// The samples of `text` (the contents of `file`), in base units of `kind`; problems go to `log`.
    static func read(_ text: String, file: String, kind: QuantityKind, log: inout DiagnosticLog) -> [Double] {
        rows(text, file: file, kind: kind, log: &log).map(\.value)
    }

    /// The samples of `text` with their rows, for checks that point at one row (a trace's order).
    static func rows(_ text: String, file: String, kind: QuantityKind, log: inout DiagnosticLog) -> [Row] {
        var samples: [Row] = []
        var headerUnit: String?
        var sawData = false
        var problems: [Diagnostic] = []
        let source = SourceText(file: file, text: text)
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNumber += 1
            let leading = rawLine.prefix(while: { $0 == " " || $0 == "\t" }).count
            let row = rawLine.dropFirst(leading).trimmingCharacters(in: .whitespaces)
            guard !row.isEmpty, !row.hasPrefix("#") else { continue }
            let at = source.location(line: lineNumber, column: leading + 1)
            func problem(_ message: String, hint: String? = nil) {
                problems.append(Diagnostic(location: at, keyPath: "", message: message, hint: hint))
            }
            if !sawData && headerUnit == nil && NumberLiteral.leadingNumber(Substring(row)) == nil && !row.hasPrefix("$") {
                let symbol = headerWords[row] ?? row
                if (try? Quantity.parse("1" + symbol, as: kind)) != nil {
                    headerUnit = symbol
                } else {
                    problem("header `\(row)` is not a unit of \(kind.nounWithoutArticle)",
                            hint: "write a unit such as `\(Unit.symbols(of: kind).first ?? "")` or `seconds`, or give each row its unit")
                }
                sawData = true
                continue
            }
            sawData = true
            if row.contains(",") {
                problem("expected one sample per row, found \(row.split(separator: ",", omittingEmptySubsequences: false).count) fields")
                continue
            }
            let written = NumberLiteral.number(row) != nil ? row + (headerUnit ?? "") : row
            do {
                let value = try Quantity.parse(written, as: kind).value
                if value < 0 {
                    problem("sample `\(row)` is negative: samples must be at least 0")
                } else {
                    samples.append(Row(value: value, text: row, location: at))
                }
            } catch {
                problem(error.message, hint: headerUnit == nil && NumberLiteral.number(row) != nil
                        ? "or name the unit of every row in a first header row such as `ms`" : error.hint)
            }
        }
        log.append(contentsOf: Array(problems.prefix(maxProblems)))
        if problems.count > maxProblems, let last = problems.last {
            log.append(contentsOf: [Diagnostic(location: last.location, keyPath: "",
                                               message: "\(problems.count - maxProblems) more rows with problems are not shown")])
        }
        return samples
    }
}

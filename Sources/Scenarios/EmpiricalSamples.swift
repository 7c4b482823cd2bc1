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
        var factors: [String: Double?] = [:]
        var bytes = text
        var stop = false
        bytes.withUTF8 { buffer in CSVFastPath.forEachLine(buffer) { line, lineNumber in
            guard !stop else { return }
            // A plain row (`12.5ms`, or `12.5` under a header unit) is read from its bytes.
            if let value = plainSample(line, kind: kind, headerUnit: headerUnit, factors: &factors) {
                sawData = true
                samples.append(Row(value: value, text: String(decoding: line, as: UTF8.self),
                                   location: source.location(line: lineNumber, column: 1)))
                return
            }
            let rawLine = String(decoding: line, as: UTF8.self)
            let leading = rawLine.prefix(while: { $0 == " " || $0 == "\t" }).count
            let row = rawLine.dropFirst(leading).trimmingCharacters(in: .whitespaces)
            guard !row.isEmpty, !row.hasPrefix("#") else { return }
            let at = source.location(line: lineNumber, column: leading + 1)
            func problem(_ message: String, hint: String? = nil) {
                problems.append(Diagnostic(location: at, keyPath: "", message: message, hint: hint))
            }
            if !sawData && headerUnit == nil && NumberLiteral.leadingNumber(Substring(row)) == nil && !row.hasPrefix("$") {
                let symbol = headerWords[row] ?? row
                if (try? Quantity.parse("1" + symbol, as: kind)) != nil {
                    headerUnit = symbol
                } else if !CSVFastPath.isPlainWord(row, allowing: "_/%$") {
                    // Neither a sample nor a unit: the file may be anything; name it, quote nothing, stop.
                    problem("the first row is neither a sample nor a unit header: is this a file of samples?",
                            hint: "one sample per row, such as `12.5ms`, optionally after a header row naming the unit (`ms`)")
                    stop = true
                    return
                } else {
                    problem("header `\(row)` is not a unit of \(kind.nounWithoutArticle)",
                            hint: "write a unit such as `\(Unit.symbols(of: kind).first ?? "")` or `seconds`, or give each row its unit")
                }
                sawData = true
                return
            }
            sawData = true
            if row.contains(",") {
                problem("expected one sample per row, found \(row.split(separator: ",", omittingEmptySubsequences: false).count) fields")
                return
            }
            let written = NumberLiteral.number(row) != nil ? row + (headerUnit ?? "") : row
            do throws(QuantityError) {
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
        } }
        log.append(contentsOf: Array(problems.prefix(maxProblems)))
        if problems.count > maxProblems, let last = problems.last {
            log.append(contentsOf: [Diagnostic(location: last.location, keyPath: "",
                                               message: "\(problems.count - maxProblems) more rows with problems are not shown")])
        }
        return samples
    }

    /// The value of a row of the plain form — digits with an optional fraction (`CSVFastPath.decimal`),
    /// then a unit of letters, or none under a header unit — exactly as `Quantity.parse` gives
    /// it (the number times the unit's factor); nil for any other row, or one with a problem,
    /// which the caller then reads the exact way. `factors` caches each unit's factor (nil: not
    /// a unit of `kind`).
    private static func plainSample(_ line: Slice<UnsafeBufferPointer<UInt8>>, kind: QuantityKind, headerUnit: String?,
                                    factors: inout [String: Double?]) -> Double? {
        guard kind != .rate, let first = line.first, first >= 0x30 && first <= 0x39 else { return nil }
        var split = line.startIndex
        while split < line.endIndex, (line[split] >= 0x30 && line[split] <= 0x39) || line[split] == 0x2E {
            split = line.index(after: split)
        }
        guard let number = CSVFastPath.decimal(line[line.startIndex..<split]) else { return nil }
        let unitBytes = line[split...]
        let letters = unitBytes.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
        guard letters, unitBytes.first != 0x65, unitBytes.first != 0x45 else { return nil }  // `e`/`E` may start an exponent
        guard let unit = unitBytes.isEmpty ? headerUnit : String(decoding: unitBytes, as: UTF8.self) else { return nil }
        let factor: Double?
        if let known = factors[unit] {
            factor = known
        } else {
            factor = try? Quantity.parse("1" + unit, as: kind).value
            factors[unit] = factor
        }
        guard let factor else { return nil }
        let value = number * factor
        guard value.isFinite else { return nil }
        return value == 0 ? 0 : value
    }
}

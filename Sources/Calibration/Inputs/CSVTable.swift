// SPDX-License-Identifier: GPL-3.0-or-later
import Scenarios

/// A CSV file read for calibration: a header and data rows, each cell with its line and column
/// so that a problem can be reported at `FILE:LINE:COL`.
///
/// Format: comma-separated, one record per line, the first non-empty line the header; a cell
/// may be wrapped in double quotes (no comma or newline inside); spaces around cells are
/// ignored; blank lines and lines starting with `#` are skipped.
public struct CSVTable: Sendable {
    /// One cell: its text (unquoted, trimmed) and where it starts.
    public struct Cell: Sendable {
        public var text: String
        public var location: SourceLocation
    }

    /// The file name used in locations.
    public var file: String
    /// The header cells.
    public var header: [Cell]
    /// The data rows (each as long as the header; missing cells are empty).
    public var rows: [[Cell]]

    /// Parses `text`; a file without a header, or a row longer than the header, is an error.
    public static func parse(_ text: String, file: String) throws(CalibrationFailure) -> CSVTable {
        var header: [Cell]?
        var rows: [[Cell]] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let cells = split(line, file: file, line: index + 1)
            if let header {
                guard cells.count <= header.count else {
                    throw .at(cells[header.count].location, "row has \(cells.count) cells but the header has \(header.count)",
                              hint: "remove the extra cells, or quote a value that contains a comma")
                }
                let end = cells.last.map { SourceLocation(file: file, line: $0.location.line, column: $0.location.column + $0.text.count) }
                    ?? SourceLocation(file: file, line: index + 1, column: 1)
                rows.append(cells + Array(repeating: Cell(text: "", location: end), count: header.count - cells.count))
            } else {
                header = cells
            }
        }
        guard let header else {
            throw .at(SourceLocation(file: file, line: 1, column: 1), "the file is empty: expected a header line and samples",
                      hint: "the first line names the columns, e.g. `handler_ms`")
        }
        return CSVTable(file: file, header: header, rows: rows)
    }

    /// The index of the header cell named `name` (exact, then case-insensitive), if any.
    public func column(_ name: String) -> Int? {
        header.firstIndex { $0.text == name } ?? header.firstIndex { $0.text.lowercased() == name.lowercased() }
    }

    /// Like `column` but an error naming the columns there are (and the closest) when absent.
    public func requiredColumn(_ name: String, why: String) throws(CalibrationFailure) -> Int {
        if let index = column(name) { return index }
        let names = header.map(\.text)
        let close = Suggestion.closest(to: name, among: names)
        throw .at(header.first?.location ?? SourceLocation(file: file, line: 1, column: 1),
                  "no column `\(name)` (\(why))" + (close.map { "; did you mean `\($0)`?" } ?? ""),
                  hint: "the columns are \(names.map { "`\($0)`" }.joined(separator: ", "))")
    }

    private static func split(_ line: Substring, file: String, line number: Int) -> [Cell] {
        var cells: [Cell] = []
        var column = 1
        for raw in line.split(separator: ",", omittingEmptySubsequences: false) {
            let leading = raw.prefix { $0 == " " || $0 == "\t" }.count
            var text = raw.dropFirst(leading)
            while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = text.dropFirst().dropLast() }
            cells.append(Cell(text: String(text), location: SourceLocation(file: file, line: number, column: column + leading)))
            column += raw.count + 1
        }
        return cells
    }
}

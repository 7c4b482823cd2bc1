// SPDX-License-Identifier: GPL-3.0-or-later

/// Collects the cells of a Jupyter notebook (nbformat 4.5: every cell has an id) and writes the
/// document; shared by the run, sweep and plan notebooks (`NotebookExport`, `SweepNotebook`,
/// `PlanNotebook`). Code cells carry pre-rendered outputs so that a notebook reads well
/// unexecuted.
struct NotebookBuilder {
    private(set) var cells: [JSONValue] = []
    private var executionCount = 0

    mutating func markdown(_ text: String) {
        cells.append(.object([("cell_type", .string("markdown")), ("id", .string("cell-\(cells.count + 1)")),
                              ("metadata", .object([])), ("source", Self.lines(text))]))
    }

    mutating func code(_ source: String, outputs: [JSONValue]) {
        executionCount += 1
        let count = executionCount
        let numbered = outputs.map { output -> JSONValue in
            guard case .object(var members) = output, members.first?.1 == .string("execute_result") else { return output }
            members.insert(("execution_count", .int(Int64(count))), at: 1)
            return .object(members)
        }
        cells.append(.object([("cell_type", .string("code")), ("execution_count", .int(Int64(count))),
                              ("id", .string("cell-\(cells.count + 1)")), ("metadata", .object([])),
                              ("outputs", .array(numbered)), ("source", Self.lines(source))]))
    }

    /// The notebook: the cells, a Python 3 kernelspec, and `metadata.hybridsim` naming the
    /// version and the results folder (relative to the notebook).
    func document(results relativePath: String) -> JSONValue {
        .object([
            ("cells", .array(cells)),
            ("metadata", .object([
                ("kernelspec", .object([("display_name", .string("Python 3")), ("language", .string("python")),
                                        ("name", .string("python3"))])),
                ("language_info", .object([("name", .string("python"))])),
                ("hybridsim", .object([("version", .string(HybridsimVersion.string)), ("results", .string(relativePath))])),
            ])),
            ("nbformat", .int(4)),
            ("nbformat_minor", .int(5)),
        ])
    }

    /// An `execute_result` output showing `text`.
    static func result(text: String) -> JSONValue {
        .object([("output_type", .string("execute_result")), ("data", .object([("text/plain", lines(text))])),
                 ("metadata", .object([]))])
    }

    /// A `display_data` output showing the SVG chart `svg` (`what` names it for text viewers).
    static func figure(_ svg: String, what: String) -> JSONValue {
        .object([("output_type", .string("display_data")),
                 ("data", .object([("image/svg+xml", lines(svg)), ("text/plain", lines("<Figure: \(what) (rendered by hybridsim)>"))])),
                 ("metadata", .object([]))])
    }

    /// Notebook source: a list of lines, each but the last ending in a newline.
    static func lines(_ text: String) -> JSONValue {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        return .array(parts.enumerated().map { i, line in .string(String(line) + (i + 1 < parts.count ? "\n" : "")) })
    }

    /// A Python string literal (single quotes, as Python prints them).
    static func pythonString(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// A plain-text table: a header and rows, columns padded to their widest cell.
    static func textTable(_ header: [String], _ rows: [[String]]) -> String {
        let widths = header.indices.map { c in ([header] + rows).map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import ScenarioModel

/// Reads a prediction log (docs/scenario-format.md, `accuracy: {log: …}`).
///
/// Format: blank rows and rows starting with `#` are ignored. The first other row is the
/// header `sample_id,label,p0,p1,…,p<K−1>` (K ≥ 2 classes, in order). Every further row is one
/// sample: an integer id (unique, ≥ 0), its true label in 0..<K and the model's K class
/// probabilities, each in 0...1, summing to 1 within `sumTolerance`. Problems are located in
/// the CSV itself (its own file, line and column), at most `EmpiricalSamples.maxProblems`.
enum PredictionLogCSV {
    /// How far a row's probabilities may sum from 1 (rounding in the file).
    static let sumTolerance = 0.01

    /// The log in `text` (the contents of `file`); nil, after logging, when anything is wrong.
    ///
    /// Rows of the plain form (no spaces, digits-only id and label, probabilities such as
    /// `0.0123`) are read from the bytes (`CSVFastPath`); every other row — the header,
    /// comments, and any row the fast path does not accept as valid — is read by `readRow`,
    /// which gives the same values and words every problem.
    static func read(_ text: String, file: String, log: inout DiagnosticLog) -> PredictionLog? {
        var reader = Reader(file: file, text: text)
        var bytes = text
        bytes.withUTF8 { buffer in
            CSVFastPath.forEachLine(buffer) { line, lineNumber in
                if !reader.readPlainRow(line, lineNumber: lineNumber) {
                    reader.readRow(String(decoding: line, as: UTF8.self), lineNumber: lineNumber)
                }
            }
        }
        return reader.finish(log: &log)
    }

    /// The state of one reading: the rows so far and the problems found.
    private struct Reader {
        let file: String
        let text: String
        /// Built on the first problem: only locations need it.
        var sourceText: SourceText?
        var problems: [Diagnostic] = []
        var classes: Int?
        var ids: [Int] = [], labels: [Int32] = [], probabilities: [Double] = []
        var seen: [Int: Int] = [:]
        var lastLocation: SourceLocation?

        init(file: String, text: String) {
            self.file = file
            self.text = text
        }

        mutating func location(line: Int, column: Int) -> SourceLocation {
            if sourceText == nil { sourceText = SourceText(file: file, text: text) }
            return sourceText!.location(line: line, column: column)
        }

        /// Reads a row of the plain form that is valid in every respect; false (and nothing
        /// recorded) when the row is anything else, for `readRow` to read.
        mutating func readPlainRow(_ line: Slice<UnsafeBufferPointer<UInt8>>, lineNumber: Int) -> Bool {
            guard let k = classes, k > 0, let first = line.first, first != 0x23 else { return false }
            var fieldStart = line.startIndex
            var field = 0
            var id = 0, label = 0
            let before = probabilities.count
            var sum = 0.0
            var index = line.startIndex
            while true {
                let atEnd = index == line.endIndex
                if atEnd || line[index] == 0x2C {
                    let bytes = line[fieldStart..<index]
                    switch field {
                    case 0:
                        guard let value = CSVFastPath.unsignedInteger(bytes) else { return rollBack(to: before) }
                        id = value
                    case 1:
                        guard let value = CSVFastPath.unsignedInteger(bytes), value < k else { return rollBack(to: before) }
                        label = value
                    default:
                        guard field < k + 2, let p = CSVFastPath.decimal(bytes), p <= 1 else { return rollBack(to: before) }
                        probabilities.append(p)
                        sum += p
                    }
                    field += 1
                    if atEnd { break }
                    fieldStart = line.index(after: index)
                }
                index = line.index(after: index)
            }
            guard field == k + 2, abs(sum - 1) <= sumTolerance, seen[id] == nil else { return rollBack(to: before) }
            seen[id] = lineNumber
            ids.append(id)
            labels.append(Int32(label))
            return true
        }

        private mutating func rollBack(to count: Int) -> Bool {
            probabilities.removeLast(probabilities.count - count)
            return false
        }

        /// Reads any row, wording each problem at its field.
        mutating func readRow(_ row: String, lineNumber: Int) {
            guard !row.trimmingCharacters(in: .whitespaces).isEmpty,
                  !row.trimmingCharacters(in: .whitespaces).hasPrefix("#") else { return }
            // Each field with the column it starts at.
            var fields: [(text: String, column: Int)] = []
            var column = 1
            for part in row.split(separator: ",", omittingEmptySubsequences: false) {
                let leading = part.prefix(while: { $0 == " " || $0 == "\t" }).count
                fields.append((part.trimmingCharacters(in: .whitespaces), column + leading))
                column += part.count + 1
            }
            func at(_ field: Int) -> SourceLocation {
                location(line: lineNumber, column: field < fields.count ? fields[field].column : column)
            }
            func problem(_ message: String, field: Int, hint: String? = nil) {
                problems.append(Diagnostic(location: at(field), keyPath: "", message: message, hint: hint))
            }
            lastLocation = at(0)
            guard let k = classes else {
                let names = fields.map(\.text)
                let expected = ["sample_id", "label"] + (0..<Swift.max(0, names.count - 2)).map { "p\($0)" }
                if names.count >= 4 && names == expected {
                    classes = names.count - 2
                } else if CSVFastPath.looksLikeHeader(names) {
                    let wrong = zip(names, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? 0
                    problem("the header must be `sample_id,label,p0,p1,…` with one probability column per class (at least 2), found "
                            + Diagnostic.quoted(row), field: wrong, hint: "scripts/make-digits-logs.py writes this format")
                    classes = 0
                } else {
                    // Not quoted: a file that does not even start like a CSV header may be any file.
                    problem("the file does not start with the header `sample_id,label,p0,p1,…`: is it a prediction log?",
                            field: 0, hint: "scripts/make-digits-logs.py writes this format")
                    classes = 0
                }
                return
            }
            guard k > 0 else { return }
            guard fields.count == k + 2 else {
                problem("expected \(k + 2) fields (sample_id, label and \(k) probabilities), found \(fields.count)",
                        field: Swift.min(fields.count, k + 2) - 1)
                return
            }
            var bad = false
            let id = Int(fields[0].text)
            if id == nil || id! < 0 {
                problem("sample_id `\(fields[0].text)` is not an integer ≥ 0", field: 0); bad = true
            } else if let line = seen[id!] {
                problem("sample_id \(id!) appears twice (first on line \(line))", field: 0); bad = true
            }
            let label = Int(fields[1].text)
            if label == nil || !(0..<k).contains(label!) {
                problem("label `\(fields[1].text)` is not a class: labels are 0…\(k - 1)", field: 1); bad = true
            }
            var vector: [Double] = []
            for c in 0..<k {
                let text = fields[c + 2].text
                if let p = NumberLiteral.number(text), p >= 0, p <= 1 {
                    vector.append(p)
                } else {
                    problem("p\(c) `\(text)` is not a probability in 0…1", field: c + 2); bad = true
                }
            }
            let sum = vector.reduce(0, +)
            if !bad, abs(sum - 1) > sumTolerance {
                problem("the probabilities sum to \((sum * 1e6).rounded() / 1e6), not 1 (within \(sumTolerance))", field: 2)
                bad = true
            }
            guard !bad, let id, let label else { return }
            seen[id] = lineNumber
            ids.append(id)
            labels.append(Int32(label))
            probabilities.append(contentsOf: vector)
        }

        /// Logs the problems (at most `EmpiricalSamples.maxProblems`) and returns the log when there are none.
        mutating func finish(log: inout DiagnosticLog) -> PredictionLog? {
            let lastLocation = self.lastLocation ?? location(line: 1, column: 1)
            if classes == nil {
                problems.append(Diagnostic(location: lastLocation, keyPath: "",
                                           message: "the prediction log is empty: expected a header `sample_id,label,p0,p1,…` and one row per sample"))
            } else if problems.isEmpty && ids.isEmpty {
                problems.append(Diagnostic(location: lastLocation, keyPath: "", message: "the prediction log has a header but no samples"))
            }
            log.append(contentsOf: Array(problems.prefix(EmpiricalSamples.maxProblems)))
            if problems.count > EmpiricalSamples.maxProblems, let last = problems.last {
                log.append(contentsOf: [Diagnostic(location: last.location, keyPath: "",
                                                   message: "\(problems.count - EmpiricalSamples.maxProblems) more rows with problems are not shown")])
            }
            guard problems.isEmpty, let classes else { return nil }
            return PredictionLog(source: file, classes: classes, sampleIDs: ids, labels: labels, probabilities: probabilities)
        }
    }
}

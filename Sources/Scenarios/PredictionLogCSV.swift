// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import InferenceSim

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
    static func read(_ text: String, file: String, log: inout DiagnosticLog) -> PredictionLog? {
        let source = SourceText(file: file, text: text)
        var problems: [Diagnostic] = []
        var classes: Int?
        var ids: [Int] = [], labels: [Int32] = [], probabilities: [Double] = []
        var seen: [Int: Int] = [:]
        var lineNumber = 0
        var lastLocation = source.location(line: 1, column: 1)
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            lineNumber += 1
            let row = String(rawLine)
            guard !row.trimmingCharacters(in: .whitespaces).isEmpty,
                  !row.trimmingCharacters(in: .whitespaces).hasPrefix("#") else { continue }
            // Each field with the column it starts at.
            var fields: [(text: String, column: Int)] = []
            var column = 1
            for part in row.split(separator: ",", omittingEmptySubsequences: false) {
                let leading = part.prefix(while: { $0 == " " || $0 == "\t" }).count
                fields.append((part.trimmingCharacters(in: .whitespaces), column + leading))
                column += part.count + 1
            }
            func at(_ field: Int) -> SourceLocation {
                source.location(line: lineNumber, column: field < fields.count ? fields[field].column : column)
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
                } else {
                    let wrong = zip(names, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? 0
                    problem("the header must be `sample_id,label,p0,p1,…` with one probability column per class (at least 2), found `\(row)`",
                            field: wrong, hint: "scripts/make-digits-logs.py writes this format")
                    classes = 0
                }
                continue
            }
            guard k > 0 else { continue }
            guard fields.count == k + 2 else {
                problem("expected \(k + 2) fields (sample_id, label and \(k) probabilities), found \(fields.count)",
                        field: Swift.min(fields.count, k + 2) - 1)
                continue
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
            guard !bad, let id, let label else { continue }
            seen[id] = lineNumber
            ids.append(id)
            labels.append(Int32(label))
            probabilities.append(contentsOf: vector)
        }
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

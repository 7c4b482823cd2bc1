// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

extension ScenarioDecoder {
    static let empiricalKeys = ["dist", "file"]

    /// `{dist: empirical, file: samples.csv}`: samples read from a CSV next to the scenario.
    mutating func empirical(_ node: ScenarioNode, path: KeyPath, kind: QuantityKind) -> Distribution? {
        guard let reader = MappingReader(node, path: path, keys: Self.empiricalKeys, log: &log),
              let fileNode = reader.required("file", log: &log, hint: "the path of a CSV of samples, relative to the scenario file"),
              let rows = csvRows(fileNode, path: path.appending("file"), kind: kind, what: "the samples file")
        else { return nil }
        return validated(.empirical(samples: rows.map(\.value))) { _ in (fileNode, path.appending("file")) }
    }

    /// The rows of the CSV named by `fileNode` (relative to the file it is written in), read
    /// with the conventions of `EmpiricalSamples`; nil, after logging, if the file cannot be
    /// read or any row is bad. `what` names the file in messages (`the samples file`).
    mutating func csvRows(_ fileNode: ScenarioNode, path: KeyPath, kind: QuantityKind,
                          what: String) -> [EmpiricalSamples.Row]? {
        guard let (text, resolved) = textFile(fileNode, path: path, what: what) else { return nil }
        let before = log.count
        let rows = EmpiricalSamples.rows(text, file: resolved, kind: kind, log: &log)
        return log.count == before ? rows : nil
    }

    /// The contents and resolved path of the file named by `fileNode` (relative to the file it
    /// is written in); nil, after logging, if it cannot be read. `what` names it in messages.
    mutating func textFile(_ fileNode: ScenarioNode, path: KeyPath, what: String) -> (text: String, path: String)? {
        guard let file = string(fileNode, path: path) else { return nil }
        let resolved = TextFile.resolve(file, relativeTo: baseFile(of: fileNode))
        do {
            return (try TextFile.read(resolved), resolved)
        } catch {
            log.error(TextFile.message(error, what: what, path: resolved), at: fileNode, path: path,
                      hint: error == .missing ? "relative paths are relative to the scenario file's folder" : nil)
            return nil
        }
    }
}

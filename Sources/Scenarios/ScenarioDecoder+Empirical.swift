// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import NumericCore

extension ScenarioDecoder {
    static let empiricalKeys = ["dist", "file"]

    /// `{dist: empirical, file: samples.csv}`: samples read from a CSV next to the scenario.
    mutating func empirical(_ node: ScenarioNode, path: KeyPath, kind: QuantityKind) -> Distribution? {
        guard let reader = MappingReader(node, path: path, keys: Self.empiricalKeys, log: &log),
              let fileNode = reader.required("file", log: &log, hint: "the path of a CSV of samples, relative to the scenario file"),
              let file = string(fileNode, path: path.appending("file"))
        else { return nil }
        let resolved = EmpiricalSamples.resolve(file, relativeTo: scenarioFile)
        guard FileManager.default.fileExists(atPath: resolved) else {
            log.error("the samples file `\(resolved)` does not exist", at: fileNode, path: path.appending("file"),
                      hint: "relative paths are relative to the scenario file's folder")
            return nil
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: resolved))
        } catch {
            log.error("cannot read the samples file `\(resolved)`: \((error as NSError).localizedDescription)",
                      at: fileNode, path: path.appending("file"))
            return nil
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            log.error("the samples file `\(resolved)` is not UTF-8 text", at: fileNode, path: path.appending("file"))
            return nil
        }
        let before = log.count
        let samples = EmpiricalSamples.read(text, file: resolved, kind: kind, log: &log)
        guard log.count == before else { return nil }
        return validated(.empirical(samples: samples)) { _ in (fileNode, path.appending("file")) }
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// `{kind: cascade, ...}`: stages that escalate on low confidence.
    static let cascadeForm = DeploymentForm(kind: "cascade", keys: ["kind", "stages"]) { d, reader, path in
        d.decodeCascade(reader, path: path).map { .cascade($0) }
    }

    static let cascadeStageKeys = placementKeys + ["threshold"]

    /// `{kind: cascade, stages: [{model, on, via, threshold}]}`; the last stage always answers,
    /// so its threshold is optional (default 0).
    mutating func decodeCascade(_ reader: MappingReader, path: KeyPath) -> CascadeSpec? {
        let stages = items(reader, "stages", path: path, keys: Self.cascadeStageKeys,
                           example: "stages: [{model: small, on: edge-e, threshold: 0.8}, {model: big, on: cloud-b}]") { d, reader, path, isLast in
            d.decodeCascadeStage(reader, path: path, isLast: isLast)
        }
        return stages.map { CascadeSpec(stages: $0) }
    }

    /// One cascade stage: a placement and its confidence threshold in [0, 1]; required except
    /// on the last stage, which always answers (default 0).
    mutating func decodeCascadeStage(_ reader: MappingReader, path: KeyPath, isLast: Bool) -> CascadeSpec.Stage? {
        let thresholdNode = isLast ? reader["threshold"]
            : reader.required("threshold", log: &log, hint: "the confidence at or above which this stage's answer stands, e.g. `threshold: 0.8`")
        let threshold: Double? = thresholdNode.map {
            number($0, path: path.appending("threshold"), atLeast: 0, atMost: 1, why: "a threshold is a confidence")
        } ?? (isLast ? 0 : nil)
        guard let placement = decodePlacement(reader, path: path), let threshold else { return nil }
        return .init(placement: placement, threshold: threshold)
    }
}

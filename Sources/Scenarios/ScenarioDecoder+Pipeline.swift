// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

extension ScenarioDecoder {
    /// `{kind: single, model, on, via?, select?, call?}`: one placement.
    static let singleForm = DeploymentForm(kind: "single", keys: ["kind"] + placementKeys) { d, reader, path in
        d.decodePlacement(reader, path: path).map { .single($0) }
    }

    /// `{kind: pipeline, stages: [{model, on, via?, select?, call?}]}`.
    static let pipelineForm = DeploymentForm(kind: "pipeline", keys: ["kind", "stages"]) { d, reader, path in
        d.decodePipeline(reader, path: path).map { .pipeline($0) }
    }

    /// The stages of a pipeline; each stage's node must reach the next one's.
    mutating func decodePipeline(_ reader: MappingReader, path: KeyPath) -> [Placement]? {
        let stages = items(reader, "stages", path: path, keys: Self.placementKeys,
                           example: "stages: [{model: m1, on: s1}, {model: m2, on: s2}]") { d, reader, path, _ in
            d.decodePlacement(reader, path: path, stage: Int(path.last))
        }
        if let stages {
            for (k, (p, q)) in zip(stages, stages.dropFirst()).enumerated() {
                talk(p.node, q.node, why: "stage \(k) on `\(p.node)` hands on to stage \(k + 1) on `\(q.node)`",
                     at: path.appending("stages").appending(index: k + 1).appending("on"))
            }
        }
        return stages
    }
}

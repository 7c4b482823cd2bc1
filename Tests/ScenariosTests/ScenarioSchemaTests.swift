// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import XCTest
@testable import Scenarios

/// The JSON Schema agrees with the loader: it holds every key the decoders accept, and every
/// valid scenario (fixtures and shipped examples) matches it when checked by an independent
/// validator (Python's `jsonschema`, draft 2020-12).
final class ScenarioSchemaTests: XCTestCase {
    private func schema() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(ScenarioSchema.jsonSchema().utf8))
        return try XCTUnwrap(object as? [String: Any])
    }

    /// Every mapping schema in the tree, as its set of property names.
    private func objectKeySets(_ value: Any) -> [Set<String>] {
        var result: [Set<String>] = []
        if let object = value as? [String: Any] {
            if let properties = object["properties"] as? [String: Any] { result.append(Set(properties.keys)) }
            for child in object.values { result += objectKeySets(child) }
        } else if let array = value as? [Any] {
            for child in array { result += objectKeySets(child) }
        }
        return result
    }

    /// Every `properties` entry whose schema is empty (a key the schema builder has no type for).
    private func untypedProperties(_ value: Any, path: String = "") -> [String] {
        var result: [String] = []
        if let object = value as? [String: Any] {
            if let properties = object["properties"] as? [String: Any] {
                for (key, schema) in properties where (schema as? [String: Any])?.isEmpty ?? true { result.append(path + "/" + key) }
            }
            for (key, child) in object { result += untypedProperties(child, path: path + "/" + key) }
        } else if let array = value as? [Any] {
            for (i, child) in array.enumerated() { result += untypedProperties(child, path: path + "/\(i)") }
        }
        return result
    }

    func testSchemaIsDraft2020AndStable() throws {
        let schema = try schema()
        XCTAssertEqual(schema["$schema"] as? String, "https://json-schema.org/draft/2020-12/schema")
        XCTAssertEqual(schema["additionalProperties"] as? Bool, false)
        XCTAssertEqual(ScenarioSchema.jsonSchema(), ScenarioSchema.jsonSchema(), "the output is deterministic")
    }

    func testEveryKeyTheDecodersAcceptIsInTheSchema() throws {
        let d = ScenarioDecoder.self
        var lists: [(String, [String])] = [
            ("top level", d.topLevelKeys), ("run", d.runKeys), ("hardware", d.hardwareKeys), ("power mode", d.powerModeKeys),
            ("model", d.modelKeys), ("batching", d.batchingKeys), ("accuracy", d.accuracyKeys),
            ("accuracy log", d.accuracyLogKeys), ("node", d.nodeKeys),
            ("link", d.linkKeys), ("route", d.routeKeys), ("pipeline stage", d.placementKeys), ("branch", d.branchKeys),
            ("part", d.partKeys), ("cascade stage", d.cascadeStageKeys), ("fusion", d.fusionKeys), ("workload", d.workloadKeys),
            ("video streams", d.workloadKeys.filter { $0 != "arrivals" } + d.videoStreamKeys), ("MMPP state", d.mmppStateKeys),
            ("rate point", d.ratePointKeys), ("slo", d.sloKeys), ("empirical", d.empiricalKeys),
            ("plan", d.planKeys), ("plan search", d.planSearchKeys),
        ]
        lists += d.deploymentForms.map { ("deployment \($0.kind)", $0.keys) }
        lists += d.arrivalForms.map { ("arrivals \($0.process)", $0.keys) }
        lists += DistributionForm.parametric.map { ("distribution \($0.name)", ["dist"] + $0.parameters.map(\.name)) }
        let schema = try schema()
        let objects = objectKeySets(schema)
        for (what, keys) in lists {
            XCTAssertTrue(objects.contains(Set(keys)), "\(what): no schema object with exactly the keys \(keys)")
        }
        XCTAssertEqual(untypedProperties(schema), [], "keys without a schema")
        let sloLatency = try XCTUnwrap(((schema["$defs"] as? [String: Any])?["slo"] as? [String: Any])?["properties"] as? [String: Any])
        XCTAssertNotNil(sloLatency["latency"])
    }

    /// Valid fixtures and shipped scenarios match the schema; files the loader rejects for
    /// their shape do not (so that the validator is seen to check something).
    func testValidScenariosMatchTheSchemaUnderPythonJSONSchema() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hybridsim-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let schemaFile = directory.appendingPathComponent("schema.json")
        try ScenarioSchema.jsonSchema().write(to: schemaFile, atomically: true, encoding: .utf8)

        var valid = try Fixtures.yamlFiles(in: "valid")
        let shipped = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenarios")
        if let enumerator = FileManager.default.enumerator(at: shipped, includingPropertiesForKeys: nil) {
            // scenarios/catalog/ holds pieces for `include:`, not whole scenarios.
            valid += enumerator.compactMap { $0 as? URL }
                .filter { $0.pathExtension == "yaml" && !$0.path.contains("/scenarios/catalog/") }
                .sorted { $0.path < $1.path }
        }
        XCTAssertGreaterThanOrEqual(valid.count, 8)
        var documents: [(name: String, json: URL, shouldMatch: Bool)] = []
        for (i, file) in valid.enumerated() {
            XCTAssertNoThrow(try ScenarioLoader.load(path: file.path), "\(file.lastPathComponent) must load")
            let json = directory.appendingPathComponent("valid-\(i).json")
            try YAMLJSON.json(fromYAML: String(contentsOf: file, encoding: .utf8)).write(to: json)
            documents.append((file.lastPathComponent, json, true))
        }
        let mismatches = [
            ("unknown key", "nodes.s.wokers=2"), ("bare number", "workload.0.arrivals.rate=3.2"),
            ("unknown kind", "deployment.kind=fanout"), ("bad unit", "models.m.serviceTime=2 parsecs"),
            ("speed above 1", "hardware={h: {kind: gpu, powerModes: {x: {cap: 1W, speed: 1.5}}}}"),
        ]
        let mmc = try JSONSerialization.jsonObject(with: YAMLJSON.json(fromYAML: Fixtures.text("valid/mmc-example.yaml")))
        for (i, (what, override)) in mismatches.enumerated() {
            let (path, value) = override.split(separator: "=", maxSplits: 1).map(String.init).pair
            let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: YAMLJSON.json(fromYAML: "v: " + value)) as? [String: Any])
            let json = directory.appendingPathComponent("mismatch-\(i).json")
            let mutated = setting(mmc, path: path.split(separator: ".").map(String.init), to: parsed["v"] ?? NSNull())
            try JSONSerialization.data(withJSONObject: mutated).write(to: json)
            documents.append((what, json, false))
        }

        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("NO-JSONSCHEMA")
                sys.exit(3)
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            for path in sys.argv[2:]:
                errors = list(validator.iter_errors(json.load(open(path))))
                print(path, "ok" if not errors else "INVALID " + " | ".join(
                    "/".join(map(str, e.absolute_path)) + ": " + e.message[:200] for e in errors[:3]))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemaFile.path] + documents.map(\.json.path)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return XCTFail("cannot run python3 (\(error)): install Python 3 and then `python3 -m pip install jsonschema`")
        }
        let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if stdout.contains("NO-JSONSCHEMA") || process.terminationStatus == 127 {
            return XCTFail("python3 or its jsonschema package is missing: install them with `python3 -m pip install jsonschema` (.ci/run does)")
        }
        XCTAssertEqual(process.terminationStatus, 0, "jsonschema failed: \(stderr)")
        let verdicts = Dictionary(stdout.split(separator: "\n").map { line -> (String, String) in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { a, _ in a })
        for document in documents {
            let verdict = verdicts[document.json.path] ?? "no verdict"
            if document.shouldMatch {
                XCTAssertEqual(verdict, "ok", "\(document.name) does not match the schema")
            } else {
                XCTAssertTrue(verdict.hasPrefix("INVALID"), "\(document.name) should not match the schema: \(verdict)")
            }
        }
    }

    /// `object` with the value at `path` replaced (mappings only; list indices as numbers).
    private func setting(_ object: Any, path: [String], to value: Any) -> Any {
        guard let key = path.first else { return value }
        if var array = object as? [Any], let index = Int(key), index < array.count {
            array[index] = setting(array[index], path: Array(path.dropFirst()), to: value)
            return array
        }
        var dictionary = object as? [String: Any] ?? [:]
        dictionary[key] = setting(dictionary[key] ?? [String: Any](), path: Array(path.dropFirst()), to: value)
        return dictionary
    }
}

private extension Array where Element == String {
    var pair: (String, String) { (self[0], count > 1 ? self[1] : "") }
}

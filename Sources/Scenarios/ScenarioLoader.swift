// SPDX-License-Identifier: GPL-3.0-or-later
import Foundation
import ScenarioModel

/// Loads a scenario file into a validated `ScenarioConfig`, or fails with every problem found.
///
/// The steps: read the bytes (unreadable file ⇒ a diagnostic at `FILE:1:1`), check UTF-8,
/// parse YAML (syntax errors keep Yams' line and column), apply the `--set` overrides to the
/// tree, merge the files it includes (`IncludeResolver`), decode each section against its
/// schema, then check cross-references. All problems of all steps that could run are
/// reported together; nothing traps on bad input.
public enum ScenarioLoader {
    /// Loads the scenario file at `path` (relative paths inside it are relative to its directory).
    public static func load(path: String, overrides: [String] = []) throws(ScenarioLoadError) -> ScenarioConfig {
        try decode(data: read(path), file: path, overrides: overrides).config
    }

    /// Loads the scenario and expands its `sweep:` section: every point is applied to the file
    /// (after `overrides` and includes) and checked like the file. A problem of a point is
    /// reported once, at the value or key at fault, naming the first point that has it. The
    /// points are decoded on up to `jobs` threads; the result does not depend on `jobs`.
    public static func loadSweep(path: String, overrides: [String] = [], jobs: Int = 1) throws(ScenarioLoadError) -> Sweep {
        try sweep(decode(data: read(path), file: path, overrides: overrides), file: path, jobs: jobs)
    }

    /// Loads the scenario and expands its `plan:` section into candidates, each applied and
    /// checked like a sweep point (problems name the first candidate that has them). Fails
    /// when the file has no `plan:` section.
    public static func loadPlan(path: String, overrides: [String] = []) throws(ScenarioLoadError) -> Plan {
        try plan(decode(data: read(path), file: path, overrides: overrides), file: path)
    }

    /// Loads the scenario with its `sweep:` points and, when it has a `plan:` section, its plan
    /// candidates expanded and checked (what `hybridsim validate` checks).
    public static func loadChecked(path: String, overrides: [String] = []) throws(ScenarioLoadError) -> (sweep: Sweep, plan: Plan?) {
        let decoded = try decode(data: read(path), file: path, overrides: overrides)
        let points = try sweep(decoded, file: path)
        return (points, decoded.decoder.planSection == nil ? nil : try plan(decoded, file: path))
    }

    /// Loads a scenario like `load(path:overrides:)`, keeping where its nodes and links were
    /// written, so that warnings about them (offered a load of 1 or more) can point at the file.
    public static func loadLocated(path: String, overrides: [String] = []) throws(ScenarioLoadError) -> LocatedScenario {
        let decoded = try decode(data: read(path), file: path, overrides: overrides)
        var links: [ScenarioNode] = []
        var nodes: [String: SourceLocation] = [:]
        var hosts: [String: SourceLocation] = [:]
        if case .mapping(let entries) = decoded.root.content {
            if let value = entries.first(where: { $0.key.scalarText == "links" })?.value,
               case .sequence(let items) = value.content {
                links = items
            }
            nodes = entryLocations(of: "nodes", in: entries)
            hosts = entryLocations(of: "hosts", in: entries)
        }
        return LocatedScenario(config: decoded.config, rootLocation: decoded.root.location,
                               linkLocations: links.map(\.location), nodeLocations: nodes, hostLocations: hosts)
    }

    /// Where each entry of the top-level mapping `key` starts, by its name (the first of
    /// repeated names).
    private static func entryLocations(of key: String, in entries: [ScenarioNode.Entry])
        -> [String: SourceLocation] {
        var locations: [String: SourceLocation] = [:]
        if let value = entries.first(where: { $0.key.scalarText == key })?.value, case .mapping(let declared) = value.content {
            for entry in declared {
                if let name = entry.key.scalarText, locations[name] == nil { locations[name] = entry.value.location }
            }
        }
        return locations
    }

    /// Largest scenario file read, in bytes: a scenario is a few kilobytes; samples and
    /// prediction logs belong in the CSV files it names.
    public static let maximumFileBytes: Int64 = 16 << 20

    /// The bytes of the file at `path`, or a diagnostic at `FILE:1:1`.
    private static func read(_ path: String) throws(ScenarioLoadError) -> Data {
        func failure(_ message: String, hint: String? = nil) -> ScenarioLoadError {
            ScenarioLoadError(diagnostics: [
                Diagnostic(location: SourceLocation(file: path, line: 1, column: 1), keyPath: "", message: message, hint: hint),
            ])
        }
        let kind = FileKind.of(path)
        guard kind != .missing, FileManager.default.fileExists(atPath: path) else {
            throw failure("cannot read the scenario file: it does not exist")
        }
        if let problem = kind.problem {
            throw failure("cannot read the scenario file: it \(problem)", hint: "give the path of a scenario YAML file")
        }
        if case .regularFile(let bytes) = kind, bytes > maximumFileBytes {
            throw failure("the scenario file is \(Self.megabytes(bytes)) MB; a scenario file may be at most \(Self.megabytes(maximumFileBytes)) MB",
                          hint: "samples and prediction logs belong in CSV files that the scenario names with `file:`")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScenarioLoadError(diagnostics: [
                Diagnostic(location: SourceLocation(file: path, line: 1, column: 1), keyPath: "",
                           message: "cannot read the scenario file: \((error as NSError).localizedDescription)"),
            ])
        }
    }

    /// Loads a scenario from its text; `file` names it in diagnostics and anchors relative paths.
    public static func load(yaml: String, file: String, overrides: [String] = []) throws(ScenarioLoadError) -> ScenarioConfig {
        try decode(text: yaml, file: file, overrides: overrides).config
    }

    /// `loadSweep(path:overrides:)` for a scenario given as text.
    public static func loadSweep(yaml: String, file: String, overrides: [String] = []) throws(ScenarioLoadError) -> Sweep {
        try sweep(decode(text: yaml, file: file, overrides: overrides), file: file)
    }

    /// `loadPlan(path:overrides:)` for a scenario given as text.
    public static func loadPlan(yaml: String, file: String, overrides: [String] = []) throws(ScenarioLoadError) -> Plan {
        try plan(decode(text: yaml, file: file, overrides: overrides), file: file)
    }

    /// The override that `--seed N` stands for: `seed=N`.
    public static func seedOverride(_ seed: UInt64) -> String { "seed=\(seed)" }

    /// Loads a scenario from raw bytes, which need not be valid UTF-8.
    static func load(data: Data, file: String, overrides: [String]) throws(ScenarioLoadError) -> ScenarioConfig {
        try decode(data: data, file: file, overrides: overrides).config
    }

    /// A decoded scenario: the tree it was decoded from (overrides applied, includes merged),
    /// the decoder (with its sweep and plan sections) and the typed scenario.
    private struct Decoded {
        var root: ScenarioNode
        var decoder: ScenarioDecoder
        var config: ScenarioConfig
    }

    /// `bytes` in megabytes (2^20 bytes) with one decimal.
    private static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f", Double(bytes) / 1_048_576)
    }

    private static func decode(data: Data, file: String, overrides: [String]) throws(ScenarioLoadError) -> Decoded {
        guard var text = String(validating: data, as: UTF8.self) else {
            let (validPrefix, badByte) = firstInvalidUTF8(data)
            let prefix = String(decoding: data.prefix(validPrefix), as: UTF8.self)
            let at = SourceText(file: file, text: prefix).location(characterOffset: prefix.count, in: prefix)
            throw ScenarioLoadError(diagnostics: [
                Diagnostic(location: at, keyPath: "",
                           message: "the file is not valid UTF-8 text (byte 0x\(String(badByte, radix: 16, uppercase: true)))",
                           hint: "save the scenario as UTF-8"),
            ])
        }
        TextFile.dropByteOrderMark(&text)
        return try decode(text: text, file: file, overrides: overrides)
    }

    private static func decode(text: String, file: String, overrides: [String]) throws(ScenarioLoadError) -> Decoded {
        var log = DiagnosticLog()
        let source = SourceText(file: file, text: text)
        var root: ScenarioNode
        switch YAMLInput.parse(text, locate: source.location(line:column:),
                               offsetLocation: { source.location(characterOffset: $0, in: text) }, log: &log) {
        case .failed:
            throw ScenarioLoadError(diagnostics: log.diagnostics)
        case .empty:
            root = ScenarioNode(content: .mapping([]), location: source.location(line: 1, column: 1))
        case .node(let node):
            root = node
        }
        if let problem = IncludeResolver.notAScenarioPart(root) {
            // Named, not quoted: the file may be anything the user can read (`/etc/passwd`).
            log.error("`\(file)` is not a scenario file: \(problem)", at: root.location, path: .root,
                      hint: "a scenario is YAML with sections `name:`, `run:`, `models:`, `nodes:`, `deployment:`, `workload:`")
            throw ScenarioLoadError(diagnostics: log.diagnostics)
        }
        // Overrides of `include` choose the files and apply first; every other override applies
        // to the merged tree, as a sweep point's settings do, so that it can change an entry
        // that an included file defines.
        let parsed = overrides.enumerated().map { Override(index: $0.offset + 1, argument: $0.element) }
        for override in parsed where override.changesIncludes {
            override.apply(to: &root, log: &log)
        }
        root = IncludeResolver.resolve(root, file: file, log: &log)
        for override in parsed where !override.changesIncludes {
            override.apply(to: &root, log: &log)
        }
        if case .mapping(let entries) = root.content, entries.isEmpty {
            log.error("the scenario is empty", at: root, path: .root,
                      hint: "a scenario needs `name`, `run`, `models`, `nodes`, `deployment` and `workload`")
            throw ScenarioLoadError(diagnostics: log.diagnostics)
        }
        var decoder = ScenarioDecoder(scenarioFile: file)
        let config = decoder.decode(root)
        log.append(contentsOf: decoder.log.diagnostics)
        guard log.isEmpty, let config else { throw ScenarioLoadError(diagnostics: log.diagnostics) }
        return Decoded(root: root, decoder: decoder, config: config)
    }

    private static func sweep(_ decoded: Decoded, file: String, jobs: Int = 1) throws(ScenarioLoadError) -> Sweep {
        guard let settings = decoded.decoder.sweepPoints else { return Sweep(base: decoded.config, points: []) }
        return try expand(settings, root: decoded.root, file: file, base: decoded.config, what: "sweep point", noun: "point",
                          jobs: jobs)
    }

    private static func plan(_ decoded: Decoded, file: String) throws(ScenarioLoadError) -> Plan {
        guard let section = decoded.decoder.planSection else {
            throw ScenarioLoadError(diagnostics: [
                Diagnostic(location: decoded.root.location, keyPath: "",
                           message: "the scenario has no `plan:` section", hint: "docs/planner.md describes it"),
            ])
        }
        if section.objective == .maximizeAccuracy, !decoded.config.models.contains(where: { $0.accuracy != nil }) {
            throw ScenarioLoadError(diagnostics: [
                Diagnostic(location: section.objectiveLocation, keyPath: "plan.maximize",
                           message: "`maximize: accuracy` needs models with `accuracy:`, and no model of the scenario has one",
                           hint: "docs/accuracy.md describes a model's accuracy"),
            ])
        }
        let enumerated = section.candidates
        let expanded = try expand(enumerated.map(\.settings), root: decoded.root, file: file, base: decoded.config,
                                  what: "plan candidate", noun: "candidate")
        let candidates = zip(enumerated, expanded.points).map { candidate, point in
            Plan.Candidate(index: point.index, choice: candidate.choice, settings: point.settings, config: point.config)
        }
        return Plan(base: decoded.config, candidates: candidates, objective: section.objective, search: section.search,
                    tree: decoded.root, scenarioFile: file)
    }

    /// Applies each point's settings to `root` and decodes the result (on up to `jobs` threads;
    /// each point is decoded on its own, so the result does not depend on `jobs`); distinct
    /// problems are reported once, naming the first point that has them and how many others do.
    private static func expand(_ settings: [[SweepSetting]], root: ScenarioNode, file: String,
                               base: ScenarioConfig, what: String, noun: String, jobs: Int = 1) throws(ScenarioLoadError) -> Sweep {
        // A point is the file with its settings applied, checked like the file; its `sweep:`
        // section was checked with the base and is left out, or every point would expand the
        // whole grid again (quadratic in the number of points: 2 s of 2.1 for 1,000 points).
        var pointRoot = root
        if case .mapping(let entries) = root.content {
            pointRoot.content = .mapping(entries.filter { $0.key.scalarText != "sweep" })
        }
        let decoded = decodeEach(settings, root: pointRoot, file: file, jobs: jobs)
        var points: [Sweep.Point] = []
        points.reserveCapacity(settings.count)
        var problems: [Diagnostic] = []
        var firstPoint: [String: (index: Int, text: String, others: Int)] = [:]
        for (index, point) in settings.enumerated() {
            let (config, diagnostics) = decoded[index]
            if diagnostics.isEmpty, let config {
                points.append(Sweep.Point(index: index, settings: point.map { ($0.keyPath, SweepSetting.flowText($0.value)) },
                                          config: config))
                continue
            }
            let text = point.map(\.text).joined(separator: " ")
            for problem in diagnostics {
                if let first = firstPoint[problem.rendered] {
                    firstPoint[problem.rendered] = (first.index, first.text, first.others + 1)
                } else {
                    firstPoint[problem.rendered] = (index, text, 0)
                    problems.append(problem)
                }
            }
        }
        guard problems.isEmpty else {
            throw ScenarioLoadError(diagnostics: problems.map { problem in
                let first = firstPoint[problem.rendered]!
                var named = problem
                named.message += " (in \(what) \(first.index): `\(first.text)`"
                    + (first.others > 0 ? ", and \(first.others) more \(noun)\(first.others == 1 ? "" : "s"))" : ")")
                return named
            })
        }
        return Sweep(base: base, points: points)
    }

    /// Each point's scenario (nil when it has problems) and problems, in point order, decoded
    /// on up to `jobs` threads, each taking the next point not yet taken (a sweep of
    /// 1,000 small points spends about 0.14 s here, which `sweep --jobs N` would otherwise wait
    /// for on one thread: docs/performance.md, "Sweep scaling").
    private static func decodeEach(_ settings: [[SweepSetting]], root: ScenarioNode, file: String,
                                   jobs: Int) -> [(config: ScenarioConfig?, diagnostics: [Diagnostic])] {
        @Sendable func decode(_ point: [SweepSetting]) -> (config: ScenarioConfig?, diagnostics: [Diagnostic]) {
            var tree = root
            var log = DiagnosticLog()
            for (i, setting) in point.enumerated() {
                Override(index: i + 1, argument: setting.text, anchor: setting.keyLocation)
                    .apply(keyPath: setting.keyPath, value: setting.value, to: &tree, log: &log)
            }
            var decoder = ScenarioDecoder(scenarioFile: file)
            let config = decoder.decode(tree)
            log.append(contentsOf: decoder.log.diagnostics)
            return (config, log.diagnostics)
        }
        let threads = max(1, min(jobs, settings.count))
        guard threads > 1 else { return settings.map(decode) }
        return Array(unsafeUninitializedCapacity: settings.count) { buffer, initialized in
            // Each slot is initialised by exactly one thread, and read only after all finished.
            nonisolated(unsafe) let slots = buffer.baseAddress!
            let dispenser = IndexDispenser(count: settings.count)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let index = dispenser.claim() {
                    (slots + index).initialize(to: decode(settings[index]))
                }
            }
            initialized = settings.count
        }
    }

    /// Length of the longest valid UTF-8 prefix of `data`, and the first byte after it.
    static func firstInvalidUTF8(_ data: Data) -> (validPrefix: Int, byte: UInt8) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return (offset, 0)
            case .error: return (offset, offset < data.count ? data[data.startIndex + offset] : 0)
            }
        }
    }
}

/// Hands out the indices 0..<count, each once, to any number of threads.
private final class IndexDispenser: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private var next = 0

    init(count: Int) { self.count = count }

    func claim() -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
}

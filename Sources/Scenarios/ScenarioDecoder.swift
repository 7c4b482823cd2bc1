// SPDX-License-Identifier: GPL-3.0-or-later
import ScenarioModel

/// Decodes a located YAML tree into a `ScenarioConfig`, logging every problem instead of
/// stopping at the first. One function per section (`decodeRun`, `decodeModels`, ...), each in
/// its own file, so that the format grows a section at a time; cross-references between
/// sections are checked at the end (`checkReferences`).
struct ScenarioDecoder {
    var log = DiagnosticLog()
    /// The scenario file as named by the user: relative paths inside it (`file:` of an
    /// empirical distribution) are relative to its directory.
    let scenarioFile: String
    /// Where each declared name and each placement is, for the cross-reference checks.
    var references = References()
    /// The settings of each point of the `sweep:` section, when there is one and it is valid.
    var sweepPoints: [[SweepSetting]]?
    /// The `plan:` section, when there is one and it is valid.
    var planSection: PlanSection?

    init(scenarioFile: String) {
        self.scenarioFile = scenarioFile
    }

    static let topLevelKeys = ["include", "name", "seed", "run", "hardware", "models", "nodes", "links", "routes",
                               "deployment", "workload", "slo", "sweep",
                               "check", "protocols", "plan", "hosts"]
    /// Top-level sections of the scenario format that this version does not read yet.
    static let reservedTopLevelKeys: [String: String] = [:]

    /// Decodes the whole scenario; nil if anything was logged. Sections are read in the order
    /// their dependencies need (hardware before nodes, links before routes), whatever their
    /// order in the file; `include:` has already been merged in by `IncludeResolver`.
    mutating func decode(_ root: ScenarioNode) -> ScenarioConfig? {
        guard let top = MappingReader(root, path: .root, keys: Self.topLevelKeys,
                                      reserved: Self.reservedTopLevelKeys,
                                      what: "a mapping of scenario sections (`name:`, `run:`, `models:`, ...)",
                                      log: &log)
        else { return nil }
        let section = { (key: String) in KeyPath.root.appending(key) }
        let name = top.required("name", log: &log).flatMap { scenarioName($0, path: section("name")) }
        let seed = top["seed"].map { seedValue($0, path: section("seed")) } ?? 1
        let run = top.required("run", log: &log, hint: "e.g. `run: {requests: 100000}`")
            .flatMap { decodeRun($0, path: section("run")) }
        let hardware = top["hardware"].map { decodeHardware($0, path: section("hardware")) } ?? []
        let models = top.required("models", log: &log).flatMap { decodeModels($0, path: section("models")) }
        let hosts = top["hosts"].map { decodeHosts($0, path: section("hosts")) } ?? []
        let nodes = top.required("nodes", log: &log).flatMap { decodeNodes($0, path: section("nodes")) }
        let links = top["links"].map { decodeLinks($0, path: section("links")) } ?? []
        let routes = top["routes"].map { decodeRoutes($0, path: section("routes"), links: links) } ?? []
        let deployment = top.required("deployment", log: &log)
            .flatMap { decodeDeployment($0, path: section("deployment")) }
        let workloads = top.required("workload", log: &log)
            .flatMap { decodeWorkloads($0, path: section("workload")) }
        let slo = top["slo"].map { decodeSLO($0, path: section("slo")) }
        sweepPoints = top["sweep"].flatMap { decodeSweep($0, path: section("sweep")) }
        planSection = top["plan"].flatMap { decodePlan($0, path: section("plan")) }
        let check = top["check"].map { decodeCheck($0, path: section("check")) } ?? []
        let protocols = top["protocols"].map { decodeProtocols($0, path: section("protocols")) } ?? []
        checkReferences(deploymentDecoded: deployment != nil)
        if let deployment, !references.receiptsWithSend.isEmpty {
            checkReceiptsWithSend(deployment, protocols: protocols ?? [], nodes: nodes ?? [], models: models ?? [])
        }
        if let deployment, let protocols,
           !references.protocolOverheadScalings.isEmpty || references.placements.contains(where: { $0.overheadScaling != nil }) {
            checkCallOverheadScaling(deployment, protocols: protocols, nodes: nodes ?? [])
        }
        if let deployment {
            checkDeployment(deployment, hardware: hardware, models: models, nodes: nodes, links: links)
        }
        checkGroups()

        guard log.isEmpty, let name, let seed, let run, let hardware, let models, let nodes, let links, let routes,
              let deployment, let workloads, let protocols, let hosts
        else { return nil }
        var config = ScenarioConfig(name: name, seed: seed, run: run, hardware: hardware, models: models, nodes: nodes,
                                    links: links, routes: routes, deployment: deployment, workloads: workloads,
                                    slo: slo ?? nil)
        config.check = check
        config.protocols = protocols
        config.hosts = hosts
        if let runNode = top["run"] {
            checkRunLength(config, runNode: runNode)
            guard log.isEmpty else { return nil }
        }
        return config
    }
}

// MARK: - Values

extension ScenarioDecoder {
    /// A non-empty string.
    mutating func string(_ node: ScenarioNode, path: KeyPath) -> String? {
        guard let text = node.scalarText, !node.isNull, !text.isEmpty else {
            log.error("expected a string, got \(node.kindDescription)", at: node, path: path)
            return nil
        }
        return text
    }

    /// A decimal integer in `range` (`200_000` allowed).
    mutating func integer(_ node: ScenarioNode, path: KeyPath, in range: ClosedRange<Int>) -> Int? {
        guard let magnitude = integerMagnitude(node, path: path, lowerBound: range.lowerBound, upperBound: "\(range.upperBound)")
        else { return nil }
        guard let value = Int(exactly: magnitude.value), range.contains(magnitude.negative ? -value : value) else {
            outOfRange(node, path: path, lowerBound: range.lowerBound, upperBound: "\(range.upperBound)")
            return nil
        }
        let signed = magnitude.negative ? -value : value
        return signed
    }

    /// The seed: an integer from 0 to 2^64 - 1.
    mutating func seedValue(_ node: ScenarioNode, path: KeyPath) -> UInt64? {
        guard let magnitude = integerMagnitude(node, path: path, lowerBound: 0, upperBound: "\(UInt64.max)") else { return nil }
        guard !magnitude.negative || magnitude.value == 0 else {
            outOfRange(node, path: path, lowerBound: 0, upperBound: "\(UInt64.max)")
            return nil
        }
        return magnitude.value
    }

    private mutating func integerMagnitude(_ node: ScenarioNode, path: KeyPath, lowerBound: Int,
                                           upperBound: String) -> (negative: Bool, value: UInt64)? {
        guard let text = node.scalarText, !node.isNull else {
            log.error("expected an integer, got \(node.kindDescription)", at: node, path: path)
            return nil
        }
        switch NumberLiteral.integer(text) {
        case .value(let negative, let magnitude):
            return (negative, magnitude)
        case .tooLarge:
            outOfRange(node, path: path, lowerBound: lowerBound, upperBound: upperBound)
            return nil
        case .notAnInteger:
            log.error("expected an integer, got `\(text)`", at: node, path: path,
                      hint: "write whole numbers in decimal, optionally with `_` between digits (`200_000`)")
            return nil
        }
    }

    private mutating func outOfRange(_ node: ScenarioNode, path: KeyPath, lowerBound: Int, upperBound: String) {
        log.error("`\(node.scalarText ?? "")` is out of range: must be from \(lowerBound) to \(upperBound)", at: node, path: path)
    }

    /// A quantity of `kind`, in base units.
    mutating func quantity(_ node: ScenarioNode, path: KeyPath, kind: QuantityKind) -> Double? {
        guard let text = node.scalarText else {
            log.error("expected \(kind.noun) such as \(Suggestion.list(kind.typicalExamples)), got \(node.kindDescription)",
                      at: node, path: path)
            return nil
        }
        do {
            return try Quantity.parse(node.isNull ? "" : text, as: kind).value
        } catch {
            log.error(error.message, at: node, path: path, hint: error.hint)
            return nil
        }
    }

    /// A quantity that must be greater than 0 (`positive`) or at least 0.
    mutating func quantity(_ node: ScenarioNode, path: KeyPath, kind: QuantityKind, positive: Bool) -> Double? {
        guard let value = quantity(node, path: path, kind: kind) else { return nil }
        if positive ? !(value > 0) : value < 0 {
            log.error("`\(node.scalarText ?? "")` must be \(positive ? "greater than 0" : "at least 0")", at: node, path: path)
            return nil
        }
        return value
    }

    /// A plain finite number without unit (a coefficient of variation, a shape).
    mutating func number(_ node: ScenarioNode, path: KeyPath) -> Double? {
        guard let text = node.scalarText, !node.isNull else {
            log.error("expected a number, got \(node.kindDescription)", at: node, path: path)
            return nil
        }
        guard let value = NumberLiteral.number(text) else {
            log.error("expected a plain number without unit, got `\(text)`", at: node, path: path)
            return nil
        }
        guard value.isFinite else {
            log.error("`\(text)` is too large: must be a finite number", at: node, path: path)
            return nil
        }
        return value
    }

    /// One of `choices` (`kind: server`), with "did you mean" for a typo.
    mutating func choice(_ node: ScenarioNode, path: KeyPath, among choices: [String], what: String) -> String? {
        guard let text = node.scalarText, !node.isNull else {
            log.error("expected \(what), one of \(choices.joined(separator: ", ")); got \(node.kindDescription)", at: node, path: path)
            return nil
        }
        guard choices.contains(text) else {
            log.error("unknown \(what) `\(text)`" + Suggestion.didYouMean(text, among: choices), at: node, path: path,
                      hint: "known: \(choices.joined(separator: ", "))")
            return nil
        }
        return text
    }

    /// The items of a list, at least `minimum` of them.
    mutating func sequence(_ node: ScenarioNode, path: KeyPath, minimum: Int, what: String) -> [ScenarioNode]? {
        guard case .sequence(let items) = node.content else {
            log.error("expected a list of \(what), got \(node.kindDescription)", at: node, path: path,
                      hint: "write `- item` lines or `[item, ...]`")
            return nil
        }
        guard items.count >= minimum else {
            log.error(minimum == 1 ? "is empty: at least one \(what.dropLast()) is needed" : "needs at least \(minimum) \(what)", at: node, path: path)
            return nil
        }
        return items
    }

    /// The `name: {...}` entries of a mapping of named things (models, nodes), in file order.
    /// Names must be non-empty and contain no `.` (they are segments of `--set` key paths).
    /// An empty mapping is an error unless `allowEmpty`.
    mutating func namedEntries(_ node: ScenarioNode, path: KeyPath, what: String,
                               allowEmpty: Bool = false) -> [(name: String, entry: ScenarioNode.Entry)]? {
        guard case .mapping(let entries) = node.content else {
            log.error("expected a mapping of \(what) names to their settings, got \(node.kindDescription)", at: node, path: path)
            return nil
        }
        guard !entries.isEmpty || allowEmpty else {
            log.error("declares no \(what); at least one is needed", at: node, path: path)
            return nil
        }
        var result: [(name: String, entry: ScenarioNode.Entry)] = []
        for named in MappingReader.namedEntries(entries, path: path, log: &log) {
            if named.name.isEmpty || named.name.contains(".") {
                log.error("`\(named.name)` is not a valid \(what) name: names must not be empty or contain `.`",
                          at: named.entry.key, path: path.appending(named.name))
                continue
            }
            result.append(named)
        }
        return result
    }

    /// The value of the key that decides which other keys a mapping may hold (a deployment's
    /// `kind`, an arrival process's `process`), read before the mapping itself is checked.
    /// Logs and returns nil when `node` is not a mapping, or the key is missing or unknown.
    mutating func tag(_ node: ScenarioNode, path: KeyPath, key: String, among choices: [String], what: String,
                      example: String) -> String? {
        guard case .mapping(let entries) = node.content else {
            log.error("expected a mapping such as `\(example)`, got \(node.kindDescription)", at: node, path: path)
            return nil
        }
        guard let value = entries.first(where: { $0.key.scalarText == key })?.value else {
            log.error("required key `\(key)` is missing", at: node, path: path, hint: "one of \(choices.joined(separator: ", "))")
            return nil
        }
        return choice(value, path: path.appending(key), among: choices, what: what)
    }

    /// A plain number within bounds; each bound is included unless marked open. `why`, when
    /// given, says what the number means ("a threshold is a confidence").
    mutating func number(_ node: ScenarioNode, path: KeyPath, atLeast lower: Double? = nil, lowerOpen: Bool = false,
                         atMost upper: Double? = nil, upperOpen: Bool = false, why: String? = nil,
                         hint: String? = nil) -> Double? {
        guard let value = number(node, path: path) else { return nil }
        let belowLower = lower.map { lowerOpen ? !(value > $0) : value < $0 } ?? false
        let aboveUpper = upper.map { upperOpen ? !(value < $0) : value > $0 } ?? false
        guard belowLower || aboveUpper else { return value }
        var bounds: [String] = []
        if let lower { bounds.append((lowerOpen ? "greater than " : "at least ") + Self.format(lower)) }
        if let upper { bounds.append((upperOpen ? "less than " : "at most ") + Self.format(upper)) }
        let range = lower != nil && upper != nil && !lowerOpen && !upperOpen
            ? "from \(Self.format(lower!)) to \(Self.format(upper!))" : bounds.joined(separator: " and ")
        log.error("`\(node.scalarText ?? "")` is out of range: must be \(range)" + (why.map { ": \($0)" } ?? ""),
                  at: node, path: path, hint: hint)
        return nil
    }

    /// A number for messages: integral values without a fraction (`1`, `0.25`, `1e-09`).
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The file a relative path written at `node` is relative to: the file the node comes
    /// from (a scenario or an included file), or the scenario itself for `--set` values.
    func baseFile(of node: ScenarioNode) -> String {
        node.location.file == SourceLocation.overrideFile ? scenarioFile : node.location.file
    }
}

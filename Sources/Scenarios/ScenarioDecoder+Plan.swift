// SPDX-License-Identifier: GPL-3.0-or-later

extension ScenarioDecoder {
    static let planKeys = ["variables", "choices", "minimize", "maximize", "search"]
    static let planSearchKeys = ["replications", "maxReplications", "confidence", "maxSimulated", "batch"]
    /// What `minimize:` accepts besides latency statistics (`p99`, `mean`, ...).
    static let planMinimizeMetrics = ["cost", "mean", "p50", "p95", "p99", "max"]
    static let planMaximizeMetrics = ["accuracy"]
    /// The most replications a racing stage may reach.
    static let maxPlanReplications = 1_000

    /// `plan: {variables: {KEY.PATH: [v, ...]}, choices: {NAME: {KEY.PATH: v, ...}},
    /// minimize: cost | p99 | ... , maximize: accuracy, search: {...}}` (docs/planner.md).
    /// Only the shape is checked here; each candidate's values are checked when it is applied
    /// (`ScenarioLoader.loadPlan`), like a sweep point's.
    mutating func decodePlan(_ node: ScenarioNode, path: KeyPath) -> PlanSection? {
        guard let reader = MappingReader(node, path: path, keys: Self.planKeys,
                                         what: "a mapping with `variables:` and an objective", log: &log) else { return nil }
        let before = log.count
        var variables: [[SweepSetting]] = []
        if let list = reader["variables"] { variables = decodePlanVariables(list, path: path.appending("variables")) }
        var choices: [(name: String, settings: [SweepSetting])] = []
        if let list = reader["choices"] { choices = decodePlanChoices(list, path: path.appending("choices")) }
        if reader["variables"] == nil, reader["choices"] == nil {
            log.error("needs `variables` or `choices`: the decisions to search over", at: node, path: path,
                      hint: "e.g. `plan: {variables: {deployment.branches.0.on: [edge-e, cloud-b]}}`")
        }
        // A key path set by a choice and by a variable would have two values in one candidate.
        let variablePaths = Set(variables.compactMap { $0.first?.keyPath })
        for choice in choices {
            for setting in choice.settings where variablePaths.contains(setting.keyPath) {
                log.error("`\(setting.keyPath)` is set both by choice `\(choice.name)` and by `variables`",
                          at: setting.keyLocation, path: path.appending("choices").appending(choice.name),
                          hint: "set each key path in one place")
            }
        }
        let (objective, objectiveLocation) = decodePlanObjective(reader, node: node, path: path)
        let search = reader["search"].flatMap { decodePlanSearch($0, path: path.appending("search")) } ?? PlanSearchSettings()
        guard log.count == before else { return nil }
        let section = PlanSection(choices: choices, variables: variables, objective: objective,
                                  objectiveLocation: objectiveLocation, search: search)
        guard section.count <= Double(Self.maxSweepPoints) else {
            log.error("has \(Self.format(section.count)) candidates: at most \(Self.maxSweepPoints) are allowed", at: node, path: path)
            return nil
        }
        return section
    }

    /// `variables: {KEY.PATH: [v, ...] | {from, to, step}}`: one axis per key path.
    private mutating func decodePlanVariables(_ node: ScenarioNode, path: KeyPath) -> [[SweepSetting]] {
        guard case .mapping(let entries) = node.content, !entries.isEmpty else {
            log.error("expected a mapping of key paths to candidate values such as `{nodes.edge-e.powerMode: [15W, 30W]}`, got \(node.kindDescription)",
                      at: node, path: path)
            return []
        }
        var axes: [[SweepSetting]] = []
        for (name, entry) in MappingReader.namedEntries(entries, path: path, log: &log)
        where checkSweepKeyPath(name, at: entry.key, path: path, what: "a plan variable") && checkNotSeed(name, at: entry.key, path: path) {
            let here = path.appending(name)
            var values: [ScenarioNode] = []
            switch entry.value.content {
            case .sequence(let items) where !items.isEmpty: values = items
            case .mapping: values = sweepRange(entry.value, path: here) ?? []
            case .sequence:
                log.error("is empty: list at least one candidate value", at: entry.value, path: here)
            default:
                log.error("expected a list of candidate values or a range `{from: ..., to: ..., step: ...}`, got \(entry.value.kindDescription)",
                          at: entry.value, path: here, hint: "a single value is not a decision: set it in the scenario instead")
            }
            var seen: [String: Int] = [:]
            var axis: [SweepSetting] = []
            for (index, value) in values.enumerated() {
                let text = SweepSetting.flowText(value)
                if let first = seen[text] {
                    log.error("value `\(text)` is listed twice (positions \(first) and \(index))", at: value, path: here,
                              hint: "each candidate value once")
                    continue
                }
                seen[text] = index
                axis.append(SweepSetting(keyPath: name, keyLocation: entry.key.location, value: value))
            }
            if !axis.isEmpty { axes.append(axis) }
        }
        return axes
    }

    /// Every candidate runs with the scenario's seed (common random numbers): a plan may not vary it.
    private mutating func checkNotSeed(_ name: String, at key: ScenarioNode, path: KeyPath) -> Bool {
        guard name == "seed" else { return true }
        log.error("a plan cannot set `seed`: every candidate runs with the same random numbers", at: key, path: path,
                  hint: "set `seed` in the scenario, or use `hybridsim plan --seed N`")
        return false
    }

    /// `choices: {NAME: {KEY.PATH: v, ...}}`: named joint settings, one axis of the space.
    private mutating func decodePlanChoices(_ node: ScenarioNode, path: KeyPath) -> [(name: String, settings: [SweepSetting])] {
        guard let named = namedEntries(node, path: path, what: "choice") else { return [] }
        var choices: [(name: String, settings: [SweepSetting])] = []
        for (name, entry) in named {
            let here = path.appending(name)
            guard case .mapping(let entries) = entry.value.content, !entries.isEmpty else {
                log.error("expected a mapping of key paths to values such as `{nodes.cloud-b.instances: 2}`, got \(entry.value.kindDescription)",
                          at: entry.value, path: here)
                continue
            }
            var settings: [SweepSetting] = []
            for (keyPath, setting) in MappingReader.namedEntries(entries, path: here, log: &log)
            where checkSweepKeyPath(keyPath, at: setting.key, path: here, what: "a plan choice") && checkNotSeed(keyPath, at: setting.key, path: here) {
                settings.append(SweepSetting(keyPath: keyPath, keyLocation: setting.key.location, value: setting.value))
            }
            choices.append((name, settings))
        }
        return choices
    }

    /// `minimize: cost | mean | pNN | max` or `maximize: accuracy`; `minimize: cost` when neither is set.
    private mutating func decodePlanObjective(_ reader: MappingReader, node: ScenarioNode,
                                              path: KeyPath) -> (PlanObjective, SourceLocation) {
        switch (reader["minimize"], reader["maximize"]) {
        case (.some, .some):
            log.error("`minimize` and `maximize` are both set: the plan has one objective", at: reader.keyNode("maximize")!,
                      path: path.appending("maximize"))
        case (let value?, nil):
            let here = path.appending("minimize")
            guard let text = value.scalarText, !value.isNull else {
                log.error("expected an objective such as `cost` or `p99`, got \(value.kindDescription)", at: value, path: here)
                break
            }
            if text == "cost" { return (.minimizeCost, value.location) }
            if let statistic = Self.latencyStatistic(text) { return (.minimizeLatency(statistic), value.location) }
            log.error("unknown objective `\(text)`" + Suggestion.didYouMean(text, among: Self.planMinimizeMetrics + Self.planMaximizeMetrics),
                      at: value, path: here,
                      hint: "minimize `cost` or a latency statistic (`mean`, `max`, `pNN` such as `p99`); or `maximize: accuracy`")
        case (nil, let value?):
            let here = path.appending("maximize")
            if choice(value, path: here, among: Self.planMaximizeMetrics, what: "objective to maximize") != nil {
                return (.maximizeAccuracy, value.location)
            }
        case (nil, nil):
            break
        }
        return (.minimizeCost, node.location)
    }

    /// `search: {replications, maxReplications, confidence, maxSimulated, batch}`.
    private mutating func decodePlanSearch(_ node: ScenarioNode, path: KeyPath) -> PlanSearchSettings? {
        guard let reader = MappingReader(node, path: path, keys: Self.planSearchKeys, log: &log) else { return nil }
        var search = PlanSearchSettings()
        let limit = Self.maxPlanReplications
        if let value = reader["replications"] {
            search.replications = integer(value, path: path.appending("replications"), in: 2...limit) ?? search.replications
        }
        if let value = reader["maxReplications"],
           let count = integer(value, path: path.appending("maxReplications"), in: 2...limit) {
            search.maxReplications = count
            if count < search.replications {
                log.error("`maxReplications` (\(count)) is less than `replications` (\(search.replications))", at: value,
                          path: path.appending("maxReplications"), hint: "stages start at `replications` and double up to `maxReplications`")
            }
        } else if reader["maxReplications"] == nil {
            search.maxReplications = max(search.replications, search.maxReplications)
        }
        if let value = reader["confidence"] {
            search.confidence = number(value, path: path.appending("confidence"), atLeast: 0.5, atMost: 1, upperOpen: true,
                                       why: "the confidence level of the racing intervals") ?? search.confidence
        }
        if let value = reader["maxSimulated"] {
            search.maxSimulated = integer(value, path: path.appending("maxSimulated"), in: 1...Self.maxSweepPoints) ?? search.maxSimulated
        }
        if let value = reader["batch"] {
            search.batch = integer(value, path: path.appending("batch"), in: 1...1_000) ?? search.batch
        }
        return search
    }
}

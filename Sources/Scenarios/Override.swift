// SPDX-License-Identifier: GPL-3.0-or-later

/// One `--set KEY.PATH=VALUE` argument, applied to the YAML tree before decoding so that its
/// value passes through exactly the checks of the file.
///
/// Path segments are mapping keys or list indices (`workload.0.arrivals.rate`); a missing
/// mapping key is added (the unknown-key check then catches a typo), and so are missing
/// intermediate mappings. VALUE is YAML in the file's own syntax: a scalar (`250/s`), a flow
/// mapping (`{requests: 1000}`) or a flow list. Problems are located at file `--set`, line =
/// the override's 1-based position among the overrides, column = column in the argument.
///
/// A sweep point's settings go through the same path with `anchor` set: the value is already a
/// located node of the file, and problems with the key path are located at its key.
struct Override {
    /// 1-based position among the overrides given.
    let index: Int
    let argument: String
    /// Where every problem of the key path is located instead of in the argument (sweep points).
    var anchor: SourceLocation? = nil

    private var scalars: [Unicode.Scalar] { Array(argument.unicodeScalars) }

    /// Whether the override's key path starts at `include` (it chooses the included files, so it
    /// applies before they are read; every other override applies after they are merged).
    var changesIncludes: Bool {
        argument.prefix { $0 != "." && $0 != "=" } == "include"
    }

    /// The location of the 1-based `column` of this argument.
    func location(column: Int) -> SourceLocation {
        anchor ?? SourceLocation(file: SourceLocation.overrideFile, line: index, column: min(max(column, 1), scalars.count + 1))
    }

    /// Sets the already parsed `value` at the dotted `keyPath` of `root` (`anchor` should be set).
    func apply(keyPath: String, value: ScenarioNode, to root: inout ScenarioNode, log: inout DiagnosticLog) {
        let segments = keyPath.split(separator: ".", omittingEmptySubsequences: false).map { (name: String($0), column: 1) }
        if segments.contains(where: { $0.name.isEmpty }) {
            log.error("`\(keyPath)` has an empty key in its path", at: location(column: 1), path: .root,
                      hint: "write the path as keys and list indices joined by `.`, e.g. `run.requests`")
            return
        }
        set(&root, segments: segments[...], value: value, traversed: .root, log: &log)
    }

    /// Applies the override to `root`, logging any problem instead.
    func apply(to root: inout ScenarioNode, log: inout DiagnosticLog) {
        let s = scalars
        guard let equals = s.firstIndex(of: "=") else {
            log.error("`\(argument)` is not of the form KEY.PATH=VALUE", at: location(column: s.count + 1), path: .root,
                      hint: "e.g. `--set workload.0.arrivals.rate=250/s`")
            return
        }
        // Segments with their 1-based columns.
        var segments: [(name: String, column: Int)] = []
        var start = 0
        for i in 0...equals where i == equals || s[i] == "." {
            var name = String.UnicodeScalarView()
            name.append(contentsOf: s[start..<i])
            segments.append((String(name), start + 1))
            start = i + 1
        }
        if let empty = segments.first(where: { $0.name.isEmpty }) {
            log.error("`\(argument)` has an empty key in its path", at: location(column: empty.column), path: .root,
                      hint: "write the path as keys and list indices joined by `.`, e.g. `run.requests=1000`")
            return
        }
        var valueText = String.UnicodeScalarView()
        valueText.append(contentsOf: s[(equals + 1)...])
        let valueColumn = equals + 2
        let text = String(valueText)
        let value: ScenarioNode
        switch YAMLInput.parse(text,
                               locate: { line, column in location(column: valueColumn + (line == 1 ? column - 1 : 0)) },
                               offsetLocation: { location(column: valueColumn + $0) },
                               log: &log) {
        case .failed: return
        case .empty: value = ScenarioNode(content: .scalar("", plain: true), location: location(column: valueColumn))
        case .node(let node): value = node
        }
        set(&root, segments: segments[...], value: value, traversed: .root, log: &log)
    }

    private func set(_ node: inout ScenarioNode, segments: ArraySlice<(name: String, column: Int)>, value: ScenarioNode,
                     traversed: KeyPath, log: inout DiagnosticLog) {
        guard let segment = segments.first else {
            node = value
            return
        }
        let rest = segments.dropFirst()
        let here = traversed.appending(segment.name)
        if node.isNull {
            // An empty value (`run:`) becomes the mapping the path needs.
            node = ScenarioNode(content: .mapping([]), location: node.location)
        }
        switch node.content {
        case .mapping(var entries):
            if let i = entries.firstIndex(where: { $0.key.scalarText == segment.name }) {
                set(&entries[i].value, segments: rest, value: value, traversed: here, log: &log)
            } else {
                let at = location(column: segment.column)
                var child = rest.isEmpty ? value : ScenarioNode(content: .mapping([]), location: at)
                if !rest.isEmpty { set(&child, segments: rest, value: value, traversed: here, log: &log) }
                entries.append(.init(key: ScenarioNode(content: .scalar(segment.name, plain: true), location: at), value: child))
            }
            node.content = .mapping(entries)
        case .sequence(var items):
            guard case .value(false, let magnitude) = NumberLiteral.integer(segment.name),
                  let i = Int(exactly: magnitude), i < items.count else {
                let range = items.isEmpty ? "it is empty" : "indices are 0 to \(items.count - 1)"
                log.error("`\(segment.name)` is not an index of the list `\(traversed)`: \(range)",
                          at: location(column: segment.column), path: here)
                return
            }
            set(&items[i], segments: rest, value: value, traversed: here, log: &log)
            node.content = .sequence(items)
        case .scalar:
            log.error("`\(traversed)` is a single value, not a mapping or a list: cannot set `\(segment.name)` inside it",
                      at: location(column: segment.column), path: here)
        }
    }
}

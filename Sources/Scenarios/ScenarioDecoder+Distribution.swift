// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

extension ScenarioDecoder {
    /// A distribution of a quantity of `kind`: a constant (`2ms`, i.e. deterministic) or a
    /// mapping with `dist:` and that distribution's parameters. Parameter problems found by
    /// `Distribution.validationProblems()` are logged at the parameter's own key.
    mutating func distribution(_ node: ScenarioNode, path: KeyPath, kind: QuantityKind) -> Distribution? {
        switch node.content {
        case .scalar:
            guard let value = quantity(node, path: path, kind: kind) else { return nil }
            return validated(.deterministic(value: value)) { _ in (node, path) }
        case .sequence:
            log.error("expected a distribution: \(kind.noun) such as `\(kind.typicalExamples[1])` or a mapping with `dist:`, got a list",
                      at: node, path: path)
            return nil
        case .mapping(let entries):
            guard let distNode = entries.first(where: { $0.key.scalarText == "dist" })?.value else {
                log.error("required key `dist` is missing", at: node, path: path,
                          hint: "e.g. `{dist: exponential, mean: \(kind.typicalExamples[1])}`; known: \(DistributionForm.allNames.joined(separator: ", "))")
                return nil
            }
            guard let name = choice(distNode, path: path.appending("dist"), among: DistributionForm.allNames, what: "distribution")
            else { return nil }
            if name == DistributionForm.empiricalName {
                return empirical(node, path: path, kind: kind)
            }
            let shiftable = kind == .time && Distribution.shiftableNames.contains(name)
            guard let form = DistributionForm.parametric.first(where: { $0.name == name }),
                  let reader = MappingReader(node, path: path,
                                             keys: ["dist"] + form.parameters.map(\.name) + (shiftable ? [DistributionForm.shiftKey] : []),
                                             log: &log)
            else { return nil }
            var values: [Double] = []
            for parameter in form.parameters {
                let parameterPath = path.appending(parameter.name)
                guard let valueNode = reader.required(parameter.name, log: &log,
                                                      hint: "`\(name)` takes \(form.parameters.map { "`\($0.name)`" }.joined(separator: ", "))")
                else { continue }
                if let value = parameter.dimensionless
                    ? number(valueNode, path: parameterPath)
                    : quantity(valueNode, path: parameterPath, kind: kind) {
                    values.append(value)
                }
            }
            var shift: Double?
            if shiftable, let shiftNode = reader[DistributionForm.shiftKey] {
                guard let value = quantity(shiftNode, path: path.appending(DistributionForm.shiftKey), kind: kind) else { return nil }
                shift = value
            }
            guard values.count == form.parameters.count else { return nil }
            let locate: (String) -> (node: ScenarioNode, path: KeyPath) = { name in
                reader[name].map { ($0, path.appending(name)) } ?? (node, path)
            }
            guard let shift else { return validated(form.make(values), locate: locate) }
            return shiftedDistribution(name, shift: shift, values: values, form: form, locate: locate)
        }
    }

    /// `distribution` if it passes its own checks; otherwise logs each problem at the node and
    /// key path of its parameter (`locate(parameterName)`) and returns nil.
    mutating func validated(_ distribution: Distribution,
                            locate: (String) -> (node: ScenarioNode, path: KeyPath)) -> Distribution? {
        let problems = distribution.validationProblems()
        for problem in problems {
            let (node, path) = locate(problem.parameter)
            log.error(problem.message, at: node, path: path)
        }
        return problems.isEmpty ? distribution : nil
    }
}

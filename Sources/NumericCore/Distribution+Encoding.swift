// SPDX-License-Identifier: GPL-3.0-or-later

/// A distribution as the resolved scenario writes it: `{FORM: {PARAMETER: value, ...}}`, e.g.
/// `{"lognormal": {"mean": 0.002, "cv": 0.2}}`, with the forms and parameter names of the cases;
/// a shifted one as `{"shifted": {"shift": 0.001, "base": {FORM: …}}}`.
extension Distribution: Encodable {
    private enum Form: String, CodingKey {
        case deterministic, exponential, lognormal, gamma, normal, uniform, weibull, pareto, empirical, shifted
    }

    private enum Parameter: String, CodingKey {
        case value, mean, cv, sd, min, max, shape, scale, samples, shift, base
    }

    public func encode(to encoder: any Encoder) throws {
        var forms = encoder.container(keyedBy: Form.self)
        func write(_ form: Form, _ parameters: [(Parameter, Double)]) throws {
            var container = forms.nestedContainer(keyedBy: Parameter.self, forKey: form)
            for (key, value) in parameters { try container.encode(value, forKey: key) }
        }
        switch self {
        case .deterministic(let value): try write(.deterministic, [(.value, value)])
        case .exponential(let mean): try write(.exponential, [(.mean, mean)])
        case .lognormal(let mean, let cv): try write(.lognormal, [(.mean, mean), (.cv, cv)])
        case .gamma(let mean, let cv): try write(.gamma, [(.mean, mean), (.cv, cv)])
        case .normal(let mean, let sd): try write(.normal, [(.mean, mean), (.sd, sd)])
        case .uniform(let min, let max): try write(.uniform, [(.min, min), (.max, max)])
        case .weibull(let shape, let scale): try write(.weibull, [(.shape, shape), (.scale, scale)])
        case .pareto(let shape, let scale): try write(.pareto, [(.shape, shape), (.scale, scale)])
        case .empirical(let samples):
            var container = forms.nestedContainer(keyedBy: Parameter.self, forKey: .empirical)
            try container.encode(samples, forKey: .samples)
        case .shifted(let shift, let base):  // `{shifted: {shift, base: {FORM: …}}}`
            var container = forms.nestedContainer(keyedBy: Parameter.self, forKey: .shifted)
            try container.encode(shift, forKey: .shift)
            try container.encode(base, forKey: .base)
        }
    }
}

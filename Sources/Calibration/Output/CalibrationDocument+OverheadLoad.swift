// SPDX-License-Identifier: GPL-3.0-or-later

extension CalibrationDocument {
    /// One protocol's overhead by load level (calibrate `--overhead-load-dependence`): each
    /// level's mean of the quantity `callOverhead` was fitted to, its standard error, x and
    /// factor; the homogeneity test; the `callOverheadScaling` written (null: not significant).
    struct OverheadLoadPart: Encodable {
        let load: OverheadLoadDependence

        enum CodingKeys: String, CodingKey {
            case variable, baseOfferedRPS = "base_offered_rps", workPerCallSeconds = "work_per_call_s", levels
            case test, chiSquare = "chi_square", degreesOfFreedom = "degrees_of_freedom", pValue = "p_value", significant
            case usedBySimulator = "used_by_simulator", callOverheadScaling = "call_overhead_scaling", summary
        }

        enum LevelKeys: String, CodingKey {
            case offeredRPS = "offered_rps", x, levelCount = "level_count", count, meanSeconds = "mean_s"
            case standardErrorSeconds = "standard_error_s", factor
        }

        enum ScalingKeys: String, CodingKey { case by, points }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode("offered_rps", forKey: .variable)
            try container.encode(load.baseOfferedRPS, forKey: .baseOfferedRPS)
            try container.encode(load.workPerCallSeconds, forKey: .workPerCallSeconds)
            var levels = container.nestedUnkeyedContainer(forKey: .levels)
            for level in load.levels {
                var item = levels.nestedContainer(keyedBy: LevelKeys.self)
                try item.encode(level.offeredRPS, forKey: .offeredRPS)
                try item.encode(level.load, forKey: .x)
                try item.encode(level.levelCount, forKey: .levelCount)
                try item.encode(level.count, forKey: .count)
                try item.encode(level.meanSeconds, forKey: .meanSeconds)
                try item.encode(level.standardErrorSeconds, forKey: .standardErrorSeconds)
                try item.encode(level.factor, forKey: .factor)
            }
            try container.encode("chi-square homogeneity of the level means", forKey: .test)
            try container.encode(load.chiSquare, forKey: .chiSquare)
            try container.encode(load.degreesOfFreedom, forKey: .degreesOfFreedom)
            try container.encode(load.pValue, forKey: .pValue)
            try container.encode(load.isSignificant, forKey: .significant)
            try container.encode(load.scaling != nil, forKey: .usedBySimulator)
            if let scaling = load.scaling {  // `{by, points: [[x, factor], …]}`
                var part = container.nestedContainer(keyedBy: ScalingKeys.self, forKey: .callOverheadScaling)
                try part.encode(scaling.variable.rawValue, forKey: .by)
                try part.encode(scaling.points.map { [$0.x, $0.factor] }, forKey: .points)
            } else {
                try container.encodeNil(forKey: .callOverheadScaling)
            }
            try container.encode(load.summary, forKey: .summary)
        }
    }
}

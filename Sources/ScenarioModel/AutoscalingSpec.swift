// SPDX-License-Identifier: GPL-3.0-or-later
import NumericCore

/// The autoscaling policy of a cloud pool: target tracking on a metric, evaluated every
/// `interval` (docs/cost-models.md, "Autoscaling"). Times in seconds.
public struct AutoscalingSpec: Sendable, Equatable {
    /// What the autoscaler tracks.
    public enum Metric: String, Sendable, Equatable, CaseIterable {
        /// Busy worker-time over available worker-time of the serving instances, over the
        /// last interval.
        case utilization
        /// Requests at the node (waiting or in service), time-averaged over the last
        /// interval, per serving instance.
        case queuePerInstance
    }

    /// Fewest instances (≥ 1).
    public var min: Int
    /// Most instances, launched ones included (≥ `min`).
    public var max: Int
    public var metric: Metric
    /// The metric's target value (> 0).
    public var target: Double
    /// Time between evaluations (> 0).
    public var interval: Double
    /// Most instances launched by one scale-out (≥ 1).
    public var step: Int
    /// After a scale-out, no further scale-out for this long (≥ 0).
    public var cooldown: Double
    /// The metric must stay below target this long before one instance is removed (≥ 0).
    public var scaleInDelay: Double
    /// From launch until the VM runs (with `pullFrom` and `modelLoad` unset: until the
    /// instance serves, image pull and model load included).
    public var boot: Distribution
    /// A `repository` node the instance pulls its models' artifacts from, over the links, at
    /// launch (after `boot`); nil: no separate pull.
    public var pullFrom: String?
    /// Loading the models after the pull; nil: no separate load.
    public var modelLoad: Distribution?
    /// Shortest billed lifetime of an instance (≥ 0); lifetimes are billed per second.
    public var billingMinimum: Double

    /// Defaults (docs/cost-models.md says which are estimates).
    public static let defaultMetric = Metric.utilization
    public static let defaultTarget = 0.6
    public static let defaultInterval = 60.0
    public static let defaultStep = 1
    public static let defaultCooldown = 300.0
    public static let defaultScaleInDelay = 300.0
    public static let defaultBoot = Distribution.lognormal(mean: 120, cv: 0.25)
    public static let defaultBillingMinimum = 60.0

    public init(min: Int = 1, max: Int, metric: Metric = defaultMetric, target: Double = defaultTarget,
                interval: Double = defaultInterval, step: Int = defaultStep, cooldown: Double = defaultCooldown,
                scaleInDelay: Double = defaultScaleInDelay, boot: Distribution = defaultBoot,
                billingMinimum: Double = defaultBillingMinimum, pullFrom: String? = nil,
                modelLoad: Distribution? = nil) {
        self.min = min
        self.max = max
        self.metric = metric
        self.target = target
        self.interval = interval
        self.step = step
        self.cooldown = cooldown
        self.scaleInDelay = scaleInDelay
        self.boot = boot
        self.billingMinimum = billingMinimum
        self.pullFrom = pullFrom
        self.modelLoad = modelLoad
    }
}

extension AutoscalingSpec: Encodable {
    /// Its keys in `scenario.resolved.json`, in the file's order.
    enum CodingKeys: String, CodingKey {
        case min, max, metric, target, interval, step, cooldown, scaleInDelay, boot, pullFrom, modelLoad
        case billingMinimum
    }
}

/// Written as its name in the scenario file (`rawValue`).
extension AutoscalingSpec.Metric: Encodable {}

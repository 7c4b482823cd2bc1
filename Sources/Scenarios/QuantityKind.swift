// SPDX-License-Identifier: GPL-3.0-or-later

/// What a quantity measures, and so which units it may be written in.
public enum QuantityKind: String, Sendable, Equatable, CaseIterable {
    /// Seconds.
    case time
    /// Events per second.
    case rate
    /// Bytes.
    case size
    /// Bits per second.
    case bandwidth
    /// Watts.
    case power
    /// US dollars.
    case money
    /// US dollars per hour.
    case moneyRate

    /// The kind with an article, for messages: "a time", "a price per hour".
    public var noun: String {
        switch self {
        case .time: "a time"
        case .rate: "a rate"
        case .size: "a size"
        case .bandwidth: "a bandwidth"
        case .power: "a power"
        case .money: "an amount of money"
        case .moneyRate: "a price per hour"
        }
    }

    /// The base unit values are converted to.
    public var baseUnit: String {
        switch self {
        case .time: "seconds"
        case .rate: "per second"
        case .size: "bytes"
        case .bandwidth: "bits per second"
        case .power: "watts"
        case .money: "dollars"
        case .moneyRate: "dollars per hour"
        }
    }

    /// Two ways to write `number` as this kind, for "write `3.2/s` or `3.2/min`".
    func examples(for number: String) -> [String] {
        switch self {
        case .time: ["\(number)ms", "\(number)s"]
        case .rate: ["\(number)/s", "\(number)/min"]
        case .size: ["\(number)KB", "\(number)MiB"]
        case .bandwidth: ["\(number)Mbps", "\(number)Gbps"]
        case .power: ["\(number)W", "\(number)kW"]
        case .money: ["$\(number)"]
        case .moneyRate: ["$\(number)/h"]
        }
    }

    /// The typical examples of this kind (`2ms`, `1.5s`).
    var typicalExamples: [String] {
        switch self {
        case .time: ["250us", "2ms", "1.5s", "10m"]
        case .rate: ["3.2/s", "1200/min"]
        case .size: ["150KB", "8GiB"]
        case .bandwidth: ["100Mbps", "1Gbps"]
        case .power: ["15W", "500mW"]
        case .money: ["$0.02"]
        case .moneyRate: ["$0.90/h"]
        }
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later

/// A unit symbol of the scenario format and its factor to the kind's base unit.
struct Unit: Sendable {
    var symbol: String
    var kind: QuantityKind
    /// Value in base units of one of this unit.
    var factor: Double

    /// Time units: their symbols also make the rate units (`/s`) and the price units (`$…/h`).
    static let times: [Unit] = [
        Unit(symbol: "ns", kind: .time, factor: 1e-9),
        Unit(symbol: "us", kind: .time, factor: 1e-6),
        Unit(symbol: "µs", kind: .time, factor: 1e-6),  // U+00B5 micro sign
        Unit(symbol: "μs", kind: .time, factor: 1e-6),  // U+03BC Greek mu
        Unit(symbol: "ms", kind: .time, factor: 1e-3),
        Unit(symbol: "s", kind: .time, factor: 1),
        Unit(symbol: "m", kind: .time, factor: 60),
        Unit(symbol: "min", kind: .time, factor: 60),
        Unit(symbol: "h", kind: .time, factor: 3600),
    ]

    /// Every unit written after a number (the `$` of money is a prefix, handled by `Quantity`).
    static let all: [Unit] = times
        + times.map { Unit(symbol: "/" + $0.symbol, kind: .rate, factor: 1 / $0.factor) }
        + [
            Unit(symbol: "B", kind: .size, factor: 1),
            Unit(symbol: "KB", kind: .size, factor: 1e3),
            Unit(symbol: "kB", kind: .size, factor: 1e3),
            Unit(symbol: "MB", kind: .size, factor: 1e6),
            Unit(symbol: "GB", kind: .size, factor: 1e9),
            Unit(symbol: "TB", kind: .size, factor: 1e12),
            Unit(symbol: "KiB", kind: .size, factor: 1024),
            Unit(symbol: "MiB", kind: .size, factor: 1_048_576),
            Unit(symbol: "GiB", kind: .size, factor: 1_073_741_824),
            Unit(symbol: "TiB", kind: .size, factor: 1_099_511_627_776),
            Unit(symbol: "bps", kind: .bandwidth, factor: 1),
            Unit(symbol: "Kbps", kind: .bandwidth, factor: 1e3),
            Unit(symbol: "kbps", kind: .bandwidth, factor: 1e3),
            Unit(symbol: "Mbps", kind: .bandwidth, factor: 1e6),
            Unit(symbol: "Gbps", kind: .bandwidth, factor: 1e9),
            Unit(symbol: "Tbps", kind: .bandwidth, factor: 1e12),
            Unit(symbol: "mW", kind: .power, factor: 1e-3),
            Unit(symbol: "W", kind: .power, factor: 1),
            Unit(symbol: "kW", kind: .power, factor: 1e3),
        ]

    /// Units after a `$` amount: none for money, a time basis for a price per hour.
    static let afterDollar: [Unit] = [Unit(symbol: "", kind: .money, factor: 1)]
        + times.map { Unit(symbol: "/" + $0.symbol, kind: .moneyRate, factor: 3600 / $0.factor) }

    static func named(_ symbol: String, afterDollar dollar: Bool) -> Unit? {
        (dollar ? afterDollar : all).first { $0.symbol == symbol }
    }

    /// Alternative spellings accepted but not listed in hints.
    static let quietAliases: Set<String> = ["μs", "/μs", "kB", "kbps", "/µs", "/us", "/ns", "/m"]

    /// The symbols accepted for `kind`, for hints (aliases left out).
    static func symbols(of kind: QuantityKind) -> [String] {
        allSymbols(of: kind).filter { !quietAliases.contains($0) && !quietAliases.contains(String($0.dropFirst(2))) }
    }

    /// Every symbol accepted for `kind`.
    static func allSymbols(of kind: QuantityKind) -> [String] {
        switch kind {
        case .money: ["$"]
        case .moneyRate: afterDollar.filter { $0.kind == .moneyRate }.map { "$…" + $0.symbol }
        default: all.filter { $0.kind == kind }.map(\.symbol)
        }
    }
}

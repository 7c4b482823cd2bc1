// SPDX-License-Identifier: GPL-3.0-or-later

/// The dotted path of a key in a scenario (`workload.0.arrivals.rate`), as `--set` takes it.
struct KeyPath: Sendable, Equatable, CustomStringConvertible {
    var segments: [String] = []

    static let root = KeyPath()

    func appending(_ key: String) -> KeyPath { KeyPath(segments: segments + [key]) }
    func appending(index: Int) -> KeyPath { appending(String(index)) }

    /// The last segment (the key's own name), or empty at the root.
    var last: String { segments.last ?? "" }

    var description: String { segments.joined(separator: ".") }
}

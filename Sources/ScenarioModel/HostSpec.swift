// SPDX-License-Identifier: GPL-3.0-or-later

/// One physical machine that several nodes share (`hosts: {NAME: {cores}}`, a node's
/// `host: NAME`): every request in service on any of its nodes is one runnable thread, and
/// the n runnable threads share its `cores` cores, each progressing at min(1, cores / n)
/// (docs/cost-models.md, "Shared hosts"). Each node keeps its own queue and its own limit
/// on requests in service.
public struct HostSpec: Sendable, Equatable, Encodable {
    public var name: String
    /// CPU cores of the machine, ≥ 1.
    public var cores: Int

    public init(name: String, cores: Int) {
        self.name = name
        self.cores = cores
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later

/// A reference that does not keep its object alive and costs no reference counting when used:
/// how the per-event hot path reaches long-lived objects (stations, stages, legs, link draws,
/// connection pools, node-group routing, the request flow).
///
/// The one place in InferenceSim that uses `Unmanaged` (SimCore's engine has its own,
/// `HandlerTable`). **Invariant:** an `UnownedRef` is used only while something else holds a
/// strong reference to its object. Within a replication that holder is `Simulation`, which
/// keeps the engine (and through it the stations and their delegates), the flow, its plan (and
/// through it the stages, legs, pools and routing) and the transport until the run is over.
/// Whoever stores an `UnownedRef` names that holder in its doc comment. Using one after its
/// object is gone is undefined behaviour, as with `unowned(unsafe)`.
struct UnownedRef<Object: AnyObject> {
    private let unmanaged: Unmanaged<Object>

    /// A reference to `object`, which someone else keeps alive (see the invariant).
    @inline(__always)
    init(_ object: Object) { unmanaged = .passUnretained(object) }

    /// Runs `body` with the object, neither retaining nor releasing it.
    @inline(__always)
    func withObject<Result>(_ body: (Object) throws -> Result) rethrows -> Result {
        try unmanaged._withUnsafeGuaranteedRef(body)
    }

    /// The object as an ordinary (retained) reference, for set-up and other cold paths.
    var object: Object { unmanaged.takeUnretainedValue() }
}

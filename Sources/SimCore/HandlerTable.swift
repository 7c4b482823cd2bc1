// SPDX-License-Identifier: GPL-3.0-or-later

/// The engine's registered event handlers, which the run loop reaches without reference
/// counting (dispatch is the hottest call of the loop).
///
/// The one place in SimCore that uses `Unmanaged`. Invariants: `boxes` owns every handler's
/// box for the table's whole life (handlers are never removed), and `dispatch[i]` is box `i`
/// unretained, so a dispatch never reaches a freed box; `dispatch` holds `boxes.count`
/// initialised entries in `capacity` allocated ones, and is freed with the table.
struct HandlerTable: ~Copyable {
    private final class Box {
        let handler: any EventHandler
        init(_ handler: any EventHandler) { self.handler = handler }
    }

    private var boxes: ContiguousArray<Box> = []
    private var dispatch: UnsafeMutablePointer<Unmanaged<Box>>
    private var capacity = 16

    init() {
        dispatch = .allocate(capacity: capacity)
    }

    deinit {
        dispatch.deallocate()
    }

    /// Registers a handler and returns the id that events use to reach it.
    mutating func register(_ handler: any EventHandler) -> HandlerID {
        precondition(boxes.count < Int(Int32.max), "too many handlers")
        if boxes.count == capacity {
            let larger = UnsafeMutablePointer<Unmanaged<Box>>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: dispatch, count: boxes.count)
            dispatch.deallocate()
            dispatch = larger
            capacity *= 2
        }
        let box = Box(handler)
        (dispatch + boxes.count).initialize(to: .passUnretained(box))
        boxes.append(box)
        return HandlerID(boxes.count - 1)
    }

    /// Hands `event` to its target handler (registered here: the caller guarantees it).
    @inline(__always)
    func deliver(_ event: Event, engine: Engine) {
        dispatch[Int(event.target)]._withUnsafeGuaranteedRef { $0.handler.handle(event, engine: engine) }
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
import CGSL

/// Process-wide GSL set-up, done exactly once.
///
/// GSL's default error handler calls `abort()` on a domain or overflow error. NumericCore turns
/// it off before its first GSL call, so a GSL function reports a problem through its return value
/// (NaN, ±infinity or an error code) instead of killing the process. Every public entry point that
/// reaches GSL calls `GSLRuntime.ensureReady()` first; the `static let` makes that a
/// thread-safe one-time initialisation.
enum GSLRuntime {
    private static let errorHandlerIsOff: Bool = {
        _ = gsl_set_error_handler_off()
        return true
    }()

    /// Makes sure GSL's aborting error handler is off. Cheap after the first call.
    @inline(__always)
    static func ensureReady() {
        _ = errorHandlerIsOff
    }
}

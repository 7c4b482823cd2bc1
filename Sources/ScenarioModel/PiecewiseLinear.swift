// SPDX-License-Identifier: GPL-3.0-or-later

/// A function given by points, linear between them: the shape of `serviceTimeScaling`'s f(x)
/// and `wakeUp`'s extra(idle).
enum PiecewiseLinear {
    /// y at `x` on the line through `points` (x strictly increasing): the segment holding `x`,
    /// linearly interpolated; the first point's y at or below its x, the last point's at or
    /// beyond its x; nil without points.
    static func value<Point>(at x: Double, through points: [Point], x px: (Point) -> Double,
                             y py: (Point) -> Double) -> Double? {
        guard let first = points.first, let last = points.last else { return nil }
        if x <= px(first) { return py(first) }
        if x >= px(last) { return py(last) }
        var upper = 1
        while px(points[upper]) < x { upper += 1 }
        let a = points[upper - 1], b = points[upper]
        return py(a) + (py(b) - py(a)) * (x - px(a)) / (px(b) - px(a))
    }
}

// SPDX-License-Identifier: GPL-3.0-or-later
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NumericCore
import ScenarioModel
import SimCore

/// Markov-modulated Poisson arrivals (`ArrivalProcess.mmpp`, docs/workloads.md).
///
/// The process sits in one state at a time. In state i arrivals are Poisson at `rate[i]` per
/// second (none when the rate is 0); the state lasts an exponential time of mean
/// `meanDuration[i]` seconds, then state (i + 1) mod n follows.
///
/// **Initial state**: drawn from the stationary distribution, P(state i) = d_i / Σ d_j
/// (time-weighted by the mean durations), with a fresh exponential sojourn. Sojourns are
/// exponential, so the residual time of a stationary state has the same law as a whole
/// sojourn: the process is stationary from time 0, and E[arrivals in [0, T]] = meanRate · T.
///
/// **Sampling**: exact, by racing the next arrival against the end of the state. From the
/// current time draw an exponential gap at the state's rate; if it lands at or before the
/// state's end it is the arrival, otherwise jump to the state's end, enter the next state and
/// draw again (memorylessness makes the restart exact). Times are whole nanoseconds; each gap
/// and sojourn is rounded to the nearest nanosecond once.
///
/// Invariants: at least one state; rates ≥ 0 and finite with Σ rate·d > 0; mean durations
/// finite and ≥ 1 µs (shorter sojourns would mostly round to 0 ns). The hot path allocates
/// nothing.
struct MMPPArrivals: ArrivalGenerator {
    /// One step of the modulated process: the next arrival, or a change of state.
    enum Step: Equatable {
        /// An arrival at this time, in the current state.
        case arrival(SimTime)
        /// The current state ended at `at`; `to` is the state entered.
        case switched(at: SimTime, to: Int)
    }

    /// The shortest mean sojourn accepted, seconds.
    static let minimumMeanDuration = 1e-6

    /// Mean gap between arrivals in each state, seconds (`.infinity` for rate 0).
    private let meanGap: ContiguousArray<Double>
    /// Mean sojourn in each state, seconds.
    private let meanDuration: ContiguousArray<Double>
    private let stream: RandomStream

    /// The current state.
    private(set) var state: Int
    /// When the current state ends, ns.
    private(set) var stateEnd: SimTime
    /// Time of the last step (arrival or state change), ns.
    private(set) var clock: SimTime = 0

    init(states: [MMPPState], stream: RandomStream) throws {
        guard !states.isEmpty else { throw SimulationBuildError("an mmpp needs at least one state") }
        for (i, s) in states.enumerated() {
            guard s.rate >= 0, s.rate.isFinite else {
                throw SimulationBuildError("mmpp state \(i): rate must be ≥ 0 and finite, got \(s.rate)")
            }
            guard s.meanDuration >= Self.minimumMeanDuration, s.meanDuration.isFinite else {
                throw SimulationBuildError(
                    "mmpp state \(i): meanDuration must be finite and at least 1 µs, got \(s.meanDuration) s")
            }
        }
        let mean = ArrivalProcess.mmpp(states: states).meanRate
        guard mean > 0, mean.isFinite else {
            throw SimulationBuildError("an mmpp needs a state with a positive rate (mean rate \(mean))")
        }
        meanGap = ContiguousArray(states.map { $0.rate > 0 ? 1 / $0.rate : .infinity })
        meanDuration = ContiguousArray(states.map(\.meanDuration))
        self.stream = stream
        // Stationary initial state: the first i with u·Σd < d_0 + … + d_i.
        let target = stream.nextUniform() * states.reduce(0) { $0 + $1.meanDuration }
        var cumulative = 0.0
        var initial = states.count - 1
        for (i, s) in states.enumerated() {
            cumulative += s.meanDuration
            if target < cumulative { initial = i; break }
        }
        state = initial
        stateEnd = SimTimeConversion.nanoseconds(fromSeconds: -meanDuration[initial] * log(stream.nextUniform()))
    }

    /// The next arrival after `previous` (the last arrival returned, or 0 at the start).
    mutating func next(after previous: SimTime) -> SimTime {
        if previous > clock { catchUp(to: previous) }
        while true {
            if case .arrival(let t) = step() { return t }
        }
    }

    /// Advances the process by one event from `clock`: an arrival in the current state if it
    /// comes no later than the state's end, otherwise the switch to the next state.
    mutating func step() -> Step {
        let g = meanGap[state]
        if g.isFinite {
            let candidate = clock &+ SimTimeConversion.nanoseconds(fromSeconds: -g * log(stream.nextUniform()))
            if candidate <= stateEnd {
                clock = candidate
                return .arrival(candidate)
            }
        }
        clock = stateEnd
        enterNextState()
        return .switched(at: clock, to: state)
    }

    private mutating func enterNextState() {
        state = state + 1 == meanDuration.count ? 0 : state + 1
        stateEnd = clock &+ SimTimeConversion.nanoseconds(
            fromSeconds: -meanDuration[state] * log(stream.nextUniform()))
    }

    /// Moves the clock to `time` without arrivals (only when a caller skips ahead).
    private mutating func catchUp(to time: SimTime) {
        while stateEnd < time {
            clock = stateEnd
            enterNextState()
        }
        clock = time
    }
}

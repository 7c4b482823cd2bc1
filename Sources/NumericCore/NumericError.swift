// SPDX-License-Identifier: GPL-3.0-or-later

/// Why a NumericCore computation (other than a distribution's own parameters, which throw
/// `DistributionProblem`) cannot be done.
public enum NumericError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An argument is outside its domain (`parameter` names it as in the API).
    case invalidArgument(parameter: String, message: String)
    /// A queue whose utilisation ρ is at least 1 has no steady state.
    case unstable(utilization: Double)

    /// A one-line message for users.
    public var description: String {
        switch self {
        case .invalidArgument(let parameter, let message): "\(parameter): \(message)"
        case .unstable(let rho): "unstable queue: utilization \(rho) is not below 1"
        }
    }
}

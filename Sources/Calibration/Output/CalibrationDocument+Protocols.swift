// SPDX-License-Identifier: GPL-3.0-or-later
import Reporting

extension CalibrationDocument {
    /// One protocol's overhead: its mean, the fixed + per-byte line, the `callOverhead`
    /// distribution fitted to the fixed part and the scenario keys that carry it.
    public struct ProtocolFit: Encodable {
        public var callProtocol: String
        public var offeredRPS: Double
        public var count: Int
        public var meanOverheadSeconds: Double
        public var fixedSeconds: Nullable<Double>
        public var fixedStandardErrorSeconds: Nullable<Double>
        public var perByteSeconds: Nullable<Double>
        public var perByteStandardErrorSeconds: Nullable<Double>
        public var perBytePValue: Nullable<Double>
        public var callOverhead: CallOverheadFit
        public var scenarioKeys: ScenarioKeys
        public var summary: String

        enum CodingKeys: String, CodingKey {
            case callProtocol = "protocol", offeredRPS = "offered_rps", count, meanOverheadSeconds = "mean_overhead_s"
            case fixedSeconds = "fixed_s", fixedStandardErrorSeconds = "fixed_standard_error_s", perByteSeconds = "per_byte_s"
            case perByteStandardErrorSeconds = "per_byte_standard_error_s", perBytePValue = "per_byte_p_value"
            case callOverhead = "call_overhead", scenarioKeys = "scenario_keys", summary
        }

        /// The distribution fitted to the per-call overhead (or to its fixed part).
        public struct CallOverheadFit: Encodable {
            /// `fixed_part` when the line was identifiable, else `overhead`.
            public var fittedTo: String
            public var chosen: String
            public var meanSeconds: Double
            public var reason: String

            enum CodingKeys: String, CodingKey { case fittedTo = "fitted_to", chosen, meanSeconds = "mean_s", reason }
        }

        /// The link keys of a scenario that carry the fit (docs/cost-models.md, "Protocols").
        public struct ScenarioKeys: Encodable {
            public var callOverhead: String
            public var requestOverheadBytes = 0.0
            public var responseOverheadBytes = 0.0
            public var payloadInflation = 1.0
            public var codecThroughput: CodecThroughput

            enum CodingKeys: String, CodingKey {
                case callOverhead, requestOverheadBytes = "requestOverhead_bytes"
                case responseOverheadBytes = "responseOverhead_bytes", payloadInflation, codecThroughput = "codecThroughput_bps"
            }
        }

        /// `codecThroughput_bps`: bits per second, or `"unlimited"` without a per-byte line.
        public enum CodecThroughput: Encodable {
            case bitsPerSecond(Double)
            case unlimited

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .bitsPerSecond(let rate): try container.encode(rate)
                case .unlimited: try container.encode("unlimited")
                }
            }
        }

        init(_ overhead: ProtocolOverhead) {
            callProtocol = overhead.callProtocol
            offeredRPS = overhead.offeredRPS
            count = overhead.count
            meanOverheadSeconds = overhead.meanSeconds
            fixedSeconds = Nullable(overhead.line?.intercept)
            fixedStandardErrorSeconds = Nullable(overhead.line?.interceptStandardError)
            perByteSeconds = Nullable(overhead.line?.slope)
            perByteStandardErrorSeconds = Nullable(overhead.line?.slopeStandardError)
            perBytePValue = Nullable(overhead.line?.slopePValue)
            let chosen = overhead.callOverhead.chosen
            callOverhead = CallOverheadFit(fittedTo: overhead.usesLine ? "fixed_part" : "overhead",
                                           chosen: chosen.family.rawValue, meanSeconds: chosen.mean,
                                           reason: overhead.callOverhead.reason)
            scenarioKeys = ScenarioKeys(callOverhead: ScenarioFragment.distribution(chosen.distribution!),
                                        codecThroughput: overhead.codecBitsPerSecond.map(CodecThroughput.bitsPerSecond) ?? .unlimited)
            summary = overhead.summary
        }
    }
}

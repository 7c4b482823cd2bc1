// SPDX-License-Identifier: GPL-3.0-or-later
import Results

extension PlanDocument {
    /// The document as JSON, keys in the order of its `CodingKeys` (`rendered()` is the file's text).
    public var json: JSONValue {
        // Strings, numbers, booleans, arrays and keyed objects only: encoding cannot fail.
        do { return try JSONValueEncoder.encode(self) } catch { preconditionFailure("plan not encodable: \(error)") }
    }

    /// Reads a `plan.json` value back; throws `SummaryDocument.ReadError` naming the first key
    /// that is missing or of the wrong type.
    public init(json: JSONValue) throws {
        do {
            self = try JSONValueDecoder.decode(PlanDocument.self, from: json)
        } catch {
            throw SummaryDocument.ReadError(description: "not a plan.json: \(JSONValueDecoder.describe(error))")
        }
    }
}

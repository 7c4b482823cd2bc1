// SPDX-License-Identifier: GPL-3.0-or-later
import Results

extension SummaryDocument {
    /// Why a JSON value is not a summary: the key path and what was wrong.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The document as JSON, keys in the order of its `CodingKeys` (`JSONValue.rendered()` is
    /// the file's text).
    public var json: JSONValue {
        // The document holds only strings, numbers, booleans, arrays and keyed objects: the
        // encoder has no way to fail on it.
        do { return try JSONValueEncoder.encode(self) } catch { preconditionFailure("summary not encodable: \(error)") }
    }

    /// Reads a `summary.json` value back; throws `ReadError` naming the first key that is
    /// missing or of the wrong type.
    public init(json: JSONValue) throws {
        do {
            self = try JSONValueDecoder.decode(SummaryDocument.self, from: json)
        } catch {
            throw ReadError(description: "not a summary.json: \(JSONValueDecoder.describe(error))")
        }
    }
}

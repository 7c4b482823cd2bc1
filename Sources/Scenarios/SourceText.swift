// SPDX-License-Identifier: GPL-3.0-or-later

/// Lines of an input, split as libyaml splits them (`\r\n`, `\r`, `\n`, U+0085, U+2028,
/// U+2029), so that positions reported by Yams can be checked and clamped into the text.
struct SourceText: Sendable {
    let file: String
    /// Length of each line in Unicode scalars, without its line break. Never empty.
    private(set) var lineLengths: [Int] = []

    init(file: String, text: String) {
        self.file = file
        var length = 0
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A where previousWasCR:
                break  // second half of \r\n
            case 0x0A, 0x0D, 0x85, 0x2028, 0x2029:
                lineLengths.append(length)
                length = 0
            default:
                length += 1
            }
            previousWasCR = scalar.value == 0x0D
        }
        if length > 0 || lineLengths.isEmpty { lineLengths.append(length) }
    }

    /// A location inside the text: the line clamped to the existing lines, the column to the
    /// line's length plus one (just past its last character).
    func location(line: Int, column: Int) -> SourceLocation {
        let l = min(max(line, 1), lineLengths.count)
        let c = min(max(column, 1), lineLengths[l - 1] + 1)
        return SourceLocation(file: file, line: l, column: c)
    }

    /// The location of the character at `offset` (counted in `Character`s from the start).
    func location(characterOffset offset: Int, in text: String) -> SourceLocation {
        let end = text.index(text.startIndex, offsetBy: max(0, offset), limitedBy: text.endIndex) ?? text.endIndex
        var line = 1, column = 1
        var previousWasCR = false
        for scalar in text.unicodeScalars[..<end] {
            switch scalar.value {
            case 0x0A where previousWasCR: break
            case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: line += 1; column = 1
            default: column += 1
            }
            previousWasCR = scalar.value == 0x0D
        }
        return location(line: line, column: column)
    }
}

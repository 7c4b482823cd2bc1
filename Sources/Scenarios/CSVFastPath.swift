// SPDX-License-Identifier: GPL-3.0-or-later

/// Byte-level reading of the plain rows of large CSV files (prediction logs, samples): lines,
/// fields and the common number forms, without building a `String` per field.
///
/// It only ever *accepts* what the strict readers accept with the same value: a field it does
/// not recognise gives nil, and the caller then reads the row the slow, exact way (which also
/// words the diagnostics). So the fast path changes speed, never results or messages.
enum CSVFastPath {
    /// Calls `body` with each line of `bytes` (without its break) and its 1-based number. Lines
    /// end at `\n`, `\r\n` or `\r`, as the readers' `split` on characters ends them.
    static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Slice<UnsafeBufferPointer<UInt8>>, Int) -> Void) {
        var start = 0, i = 0, number = 0
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if byte == 0x0A || byte == 0x0D {
                number += 1
                body(bytes[start..<i], number)
                i += byte == 0x0D && i + 1 < count && bytes[i + 1] == 0x0A ? 2 : 1
                start = i
            } else {
                i += 1
            }
        }
        number += 1
        body(bytes[start..<count], number)  // the last line (empty after a final break)
    }

    /// 10^0 … 10^22: every one is exactly a `Double`.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// A field `D+` or `D+.D+` (ASCII digits) with at most 15 digits in all, read exactly: the
    /// digits as an integer (< 2^53, so exact) divided by a power of ten (exact up to 10^22)
    /// is one correctly rounded operation, the same `Double` that `strtod` — and so
    /// `NumberLiteral` — gives. Nil for any other form (signs, exponents, `_`, more digits).
    @inline(__always)
    static func decimal(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> Double? {
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0
        var seenPoint = false, digitsBeforePoint = 0
        for byte in field {
            if byte >= 0x30 && byte <= 0x39 {
                mantissa = mantissa &* 10 &+ UInt64(byte &- 0x30)
                digits += 1
                if seenPoint { fractionDigits += 1 } else { digitsBeforePoint += 1 }
            } else if byte == 0x2E && !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
        }
        guard digits > 0, digits <= 15, digitsBeforePoint > 0, !seenPoint || fractionDigits > 0 else { return nil }
        return fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / powersOfTen[fractionDigits]
    }

    /// A field of 1 to 18 ASCII digits as an `Int` (as `Int(String)` reads it); nil otherwise.
    @inline(__always)
    static func unsignedInteger(_ field: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        guard !field.isEmpty, field.count <= 18 else { return nil }
        var value = 0
        for byte in field {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte &- 0x30)
        }
        return value
    }

    /// Whether the fields of a file's first row look like a CSV header (two or more names of
    /// letters, digits and `_`, each at most 40 long), so that a message may quote it. A first
    /// row of any other shape is not quoted: the file may be one that is no CSV at all.
    static func looksLikeHeader(_ names: [String]) -> Bool {
        names.count >= 2 && names.allSatisfy { isPlainWord($0, allowing: "_") }
    }

    /// 1 to 40 ASCII letters, digits or characters of `extra`.
    static func isPlainWord(_ text: String, allowing extra: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || extra.unicodeScalars.contains($0))
        }
    }
}

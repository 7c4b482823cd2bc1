// SPDX-License-Identifier: GPL-3.0-or-later

/// "Did you mean …?": the closest known name to a misspelt one.
public enum Suggestion {
    /// Levenshtein distance over Unicode scalars (insert, delete, substitute cost 1).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let substitution = previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// The candidate closest to `name`, if close enough to be a likely typo: equal ignoring
    /// case, or within a third of the longer name's length (at least 1, at most 3 edits).
    public static func closest(to name: String, among candidates: [String]) -> String? {
        guard !name.isEmpty, name.unicodeScalars.count <= 200 else { return nil }
        if let sameLetters = candidates.first(where: { $0.lowercased() == name.lowercased() }) { return sameLetters }
        let ranked = candidates
            .map { (candidate: $0, distance: editDistance(name.lowercased(), $0.lowercased())) }
            .filter { $0.distance <= min(3, max(1, max(name.count, $0.candidate.count) / 3)) }
        return ranked.min { $0.distance < $1.distance }?.candidate
    }

    /// ` (did you mean `x`?)`, or empty.
    static func didYouMean(_ name: String, among candidates: [String]) -> String {
        closest(to: name, among: candidates).map { " (did you mean `\($0)`?)" } ?? ""
    }

    /// `a, b, c` with backquotes.
    static func list(_ names: [String]) -> String {
        names.map { "`\($0)`" }.joined(separator: ", ")
    }
}

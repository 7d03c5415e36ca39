/// The names of the report's files that carry a river's or a point's id (docs/operations.md, "Report files").
public enum ReportFileName {
    /// The longest file-name form of an id, in bytes of UTF-8: the longest name (`<id>-20261001-0400-network.svg`
    /// written as `….part` first) stays well inside the 255 bytes of a file name.
    public static let maximumBytes = 128

    /// The file-name form of an id: safe on any file system and one to one.
    ///
    /// Letters and digits of any script (Chinese included), `-`, `_` and `.` are kept, except a `.` at the start;
    /// every other character, `%` included, becomes its UTF-8 bytes percent-encoded (`a/b` → `a%2Fb`, `..` →
    /// `%2E.`, `a%2Fb` → `a%252Fb`). So the form never holds `/`, never begins with `.`, and decodes back to the id.
    /// An empty id, or one whose form is longer than ``maximumBytes``, keeps at most its first 111 bytes (never
    /// cutting a character or a `%XX`), then `~` and the 16 hex digits of the FNV-1a 64 hash of the whole id's
    /// UTF-8 bytes; `~` is otherwise always encoded (`%7E`), so a cut form never equals a whole one.
    public static func component(_ id: String) -> String {
        var units: [String] = []
        for (offset, scalar) in id.unicodeScalars.enumerated() {
            if kept(scalar, first: offset == 0) {
                units.append(String(scalar))
            } else {
                units.append(String(scalar).utf8.map(percentEncoded).joined())
            }
        }
        let whole = units.joined()
        guard whole.isEmpty || whole.utf8.count > maximumBytes else { return whole }
        var prefix = ""
        for unit in units {
            guard prefix.utf8.count + unit.utf8.count <= maximumBytes - 17 else { break }
            prefix += unit
        }
        let hash = String(fnv1a64(id.utf8), radix: 16)
        return prefix + "~" + String(repeating: "0", count: 16 - hash.count) + hash
    }

    private static func kept(_ scalar: Unicode.Scalar, first: Bool) -> Bool {
        if scalar.isASCII {
            return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || (scalar == "." && !first)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// FNV-1a, 64 bits (Fowler, Noll, Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    static func fnv1a64(_ bytes: String.UTF8View) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}

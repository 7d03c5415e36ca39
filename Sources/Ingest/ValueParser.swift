/// Reads one value cell: a number, a censored value, a missing marker, or an instrument sentinel.
public struct ValueParser: Sendable {
    /// Values instruments write for "no measurement" (settings: `ingest.sentinels`).
    public let sentinels: Set<Double>

    /// Cells that mean "no value" in platform exports; treated as blank. Compared after trimming.
    public static let missingMarkers: Set<String> = ["--", "-", "—", "——", "*", "**", "/", "NA", "N/A", "na", "n/a",
                                                     "null", "NULL", "NaN", "nan", "缺测", "无数据"]

    /// What one cell holds.
    public enum Outcome: Equatable, Sendable {
        /// A measured value, in the unit of the column or row.
        case value(Double)
        /// Below the detection limit; the limit when the cell gives one.
        case censored(detectionLimit: Double?)
        /// Blank or a missing marker.
        case missing
        /// An instrument sentinel such as -999.
        case sentinel
        /// Not a value at all.
        case invalid
    }

    public init(sentinels: Set<Double> = [-999, -9999, -99999]) {
        self.sentinels = sentinels
    }

    /// Reads a cell. Spellings of censored values: `<0.05`, `＜0.05`, `0.05L`, `ND`, `N.D.`, `未检出`,
    /// `ND(0.05)`, `未检出(<0.05)`, `<DL`.
    public func parse(_ text: Substring) -> Outcome {
        let cell = text.trimmingSpaces
        if cell.isEmpty || Self.missingMarkers.contains(String(cell)) { return .missing }
        if let number = Self.number(cell) {
            return sentinels.contains(number) ? .sentinel : .value(number)
        }
        let first = cell.unicodeScalars.first!
        if first == "<" || first == "＜" || first == "≤" {
            let rest = cell.unicodeScalars.dropFirst()
            let limitText = Substring(String(rest)).trimmingSpaces
            if limitText.uppercased() == "DL" || limitText == "检出限" { return .censored(detectionLimit: nil) }
            guard let limit = Self.number(limitText), limit >= 0 else { return .invalid }
            return .censored(detectionLimit: limit)
        }
        for word in ["未检出", "ND", "N.D.", "nd", "n.d.", "BDL", "<DL"] where cell.hasPrefix(word) {
            var rest = Substring(cell.dropFirst(word.count)).trimmingSpaces
            if rest.isEmpty { return .censored(detectionLimit: nil) }
            // ND(0.05), 未检出（<0.05）
            guard let open = rest.first, open == "(" || open == "（",
                  let close = rest.last, close == ")" || close == "）" else { return .invalid }
            rest = Substring(rest.dropFirst().dropLast()).trimmingSpaces
            if rest.first == "<" || rest.first == "＜" { rest = Substring(rest.dropFirst()).trimmingSpaces }
            guard let limit = Self.number(rest), limit >= 0 else { return .invalid }
            return .censored(detectionLimit: limit)
        }
        if cell.last == "L" || cell.last == "l" {
            guard let limit = Self.number(cell.dropLast()), limit >= 0 else { return .invalid }
            return .censored(detectionLimit: limit)
        }
        return .invalid
    }

    /// A finite decimal number (no `nan`, `inf`, hex); full-width digits are accepted.
    static func number(_ text: Substring) -> Double? {
        guard let first = text.utf8.first else { return nil }
        // Double(_:) also reads "nan", "inf" and hex floats: only decimal forms are values here.
        let isASCIIStart = (first >= 0x30 && first <= 0x39) || first == 0x2D || first == 0x2B || first == 0x2E
        if isASCIIStart {
            for byte in text.utf8 where !((byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x2D
                                           || byte == 0x2B || byte == 0x65 || byte == 0x45) { return nil }
            guard let value = Double(text), value.isFinite else { return nil }
            return value
        }
        if first >= 0xEF {  // full-width digits: fold and retry once
            var folded = ""
            for scalar in text.unicodeScalars {
                let value = scalar.value
                if value < 0x80 {
                    folded.unicodeScalars.append(scalar)
                    continue
                }
                guard (0xFF01...0xFF5E).contains(value), let ascii = Unicode.Scalar(value - 0xFEE0) else { return nil }
                folded.unicodeScalars.append(ascii)
            }
            guard let byte = folded.utf8.first, byte >= 0x2B, byte <= 0x39 else { return nil }
            return number(Substring(folded))
        }
        return nil
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs and ideographic spaces.
    var trimmingSpaces: Substring {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" || first == "\u{3000}" || first == "\u{A0}" {
            slice = slice.dropFirst()
        }
        while let last = slice.last, last == " " || last == "\t" || last == "\u{3000}" || last == "\u{A0}" {
            slice = slice.dropLast()
        }
        return slice
    }
}

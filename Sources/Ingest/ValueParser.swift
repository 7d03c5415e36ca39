import Foundation

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
        if cell.isEmpty { return .missing }
        if let number = Self.number(cell) {
            return sentinels.contains(number) ? .sentinel : .value(number)
        }
        if Self.missingMarkers.contains(String(cell)) { return .missing }
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

    /// Reads a cell given as UTF-8 bytes: plain decimals (the common case) are parsed straight from the bytes,
    /// everything else goes through ``parse(_:)``.
    public func parse(bytes: ArraySlice<UInt8>) -> Outcome {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if start == end { return .missing }
        if let number = Self.plainDecimal(bytes[start..<end]) {
            return sentinels.contains(number) ? .sentinel : .value(number)
        }
        return parse(Substring(String(decoding: bytes, as: UTF8.self)))
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// `-12.345`-style decimals with at most 15 significant digits, or nil for anything else.
    /// Exact: the digits make an integer below 2^53 and 10^k (k ≤ 22) is exact, so one IEEE division
    /// rounds correctly — the same double `strtod` gives.
    static func plainDecimal(_ bytes: ArraySlice<UInt8>) -> Double? {
        var index = bytes.startIndex
        var negative = false
        if bytes[index] == 0x2D || bytes[index] == 0x2B {
            negative = bytes[index] == 0x2D
            index += 1
        }
        var mantissa: Int64 = 0
        var digits = 0
        var fraction = 0
        var seenPoint = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                guard digits < 15 else { return nil }
                mantissa = mantissa * 10 + Int64(byte - 0x30)
                digits += 1
                if seenPoint { fraction += 1 }
            } else if byte == 0x2E && !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        let value = Double(mantissa) / powersOfTen[fraction]
        return negative ? -value : value
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
    /// Without leading and trailing spaces, tabs, ideographic spaces (U+3000) and no-break spaces (U+00A0).
    /// Works on UTF-8 bytes: this runs for every cell of every file.
    var trimmingSpaces: Substring {
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        func spaceLength(at index: Substring.UTF8View.Index) -> Int {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 { return 1 }
            if byte == 0xC2, bytes.index(after: index) < end, bytes[bytes.index(after: index)] == 0xA0 { return 2 }
            if byte == 0xE3 {
                let second = bytes.index(after: index)
                guard second < end, bytes[second] == 0x80 else { return 0 }
                let third = bytes.index(after: second)
                if third < end, bytes[third] == 0x80 { return 3 }
            }
            return 0
        }
        while start < end {
            let length = spaceLength(at: start)
            if length == 0 { break }
            start = bytes.index(start, offsetBy: length)
        }
        while start < end {
            let last = bytes.index(before: end)
            if bytes[last] == 0x20 || bytes[last] == 0x09 {
                end = last
            } else if bytes[last] == 0xA0, last > start, bytes[bytes.index(before: last)] == 0xC2 {
                end = bytes.index(before: last)
            } else if bytes[last] == 0x80, bytes.distance(from: start, to: last) >= 2,
                      bytes[bytes.index(last, offsetBy: -1)] == 0x80, bytes[bytes.index(last, offsetBy: -2)] == 0xE3 {
                end = bytes.index(last, offsetBy: -2)
            } else {
                break
            }
        }
        return Substring(bytes[start..<end])
    }
}

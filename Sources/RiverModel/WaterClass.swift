import Foundation

/// A surface-water class of GB 3838-2002: I to V, or worse than V (劣V).
public enum WaterClass: Int, CaseIterable, Sendable, Comparable {
    case i = 1, ii, iii, iv, v
    /// 劣V类: worse than the Class V limit.
    case worseThanV = 6

    /// The Roman numeral used in files and English reports ("III", "worse than V").
    public var roman: String {
        switch self {
        case .i: "I"
        case .ii: "II"
        case .iii: "III"
        case .iv: "IV"
        case .v: "V"
        case .worseThanV: "worse than V"
        }
    }

    /// The Chinese label used in reports ("Ⅲ类", "劣Ⅴ类").
    public var chineseName: String {
        switch self {
        case .i: "Ⅰ类"
        case .ii: "Ⅱ类"
        case .iii: "Ⅲ类"
        case .iv: "Ⅳ类"
        case .v: "Ⅴ类"
        case .worseThanV: "劣Ⅴ类"
        }
    }

    /// Parses a target class as written in network files: `I`…`V`, `1`…`5`, `Ⅰ`…`Ⅴ`, optionally with 类.
    /// Returns nil for anything else (劣V is not a target).
    public init?(targetText text: String) {
        var trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        if trimmed.hasSuffix("类") { trimmed.removeLast() }
        if trimmed.hasPrefix("CLASS") { trimmed = String(trimmed.dropFirst(5)).trimmingCharacters(in: .whitespaces) }
        switch trimmed {
        case "I", "1", "Ⅰ": self = .i
        case "II", "2", "Ⅱ": self = .ii
        case "III", "3", "Ⅲ": self = .iii
        case "IV", "4", "Ⅳ": self = .iv
        case "V", "5", "Ⅴ": self = .v
        default: return nil
        }
    }

    public static func < (lhs: WaterClass, rhs: WaterClass) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension WaterClass: Codable {
    /// The code used in JSON: `I` … `V`, and `劣V` for worse than V.
    public var code: String { self == .worseThanV ? "劣V" : roman }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        if text == "劣V" || text == "劣Ⅴ" {
            self = .worseThanV
        } else if let parsed = WaterClass(targetText: text) {
            self = parsed
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "\(text): expected I, II, III, IV, V or 劣V"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

import Foundation

/// One accepted measurement: a point, a parameter, a time, a value in the parameter's canonical unit.
public struct Reading: Sendable, Equatable {
    /// The monitoring point's id.
    public var pointID: String
    public var parameter: Parameter
    /// When it was measured, UTC.
    public var time: Date
    /// The value in `parameter.canonicalUnit`; for a censored reading, the detection limit (nil when the
    /// file gave none, as with a bare `ND`).
    public var value: Double?
    /// True for a value below the detection limit (`<0.05`, `0.05L`, `ND`, `未检出`).
    public var isCensored: Bool
    /// The detection limit, canonical unit, when the file gave one.
    public var detectionLimit: Double?
    /// The station's data flag (HJ 212: N, F, M, S, D, C, T, B), or the file's own marker, as given.
    public var flag: String?
    /// 1-based line of the source file it came from (the file is recorded with the batch).
    public var line: Int

    /// The value a daily mean counts, nil when it counts none: a valid flag (``Observation/isValid``) and a value
    /// (a censored reading's, its limit) that is physically possible. The store's kept daily sums and its scan of the
    /// readings (`ReadingStore.dailyMeans`) follow this one rule.
    public var dailyMeanValue: Double? {
        guard Observation.isValid(flag: flag), let value, parameter.physicalRange.contains(value) else { return nil }
        return value
    }

    public init(pointID: String, parameter: Parameter, time: Date, value: Double?, isCensored: Bool = false,
                detectionLimit: Double? = nil, flag: String? = nil, line: Int) {
        self.pointID = pointID
        self.parameter = parameter
        self.time = time
        self.value = value
        self.isCensored = isCensored
        self.detectionLimit = detectionLimit
        self.flag = flag
        self.line = line
    }
}

/// Why a row or a field was not accepted. Each case carries what was found and names what was expected.
public enum RejectionReason: Sendable, Equatable {
    case unknownPoint(found: String)
    case unknownParameter(found: String)
    case unknownUnit(found: String, parameter: Parameter)
    case unparseableTime(found: String)
    case missingYear(found: String)
    case unparseableValue(found: String, parameter: Parameter)
    case missingValue(parameter: Parameter)
    case sentinelValue(found: String, parameter: Parameter)
    case wrongFieldCount(found: Int, expected: Int)
    case unterminatedQuote(lastLine: Int)
    case invalidEncoding(encoding: String)
    /// The file's header was not recognised; every data row below it is quarantined with this reason.
    case unrecognizedHeader(UnrecognizedHeader)
    case notText(detail: String)
    /// A number that is no finite double after conversion to the canonical unit (`1.7e308` S/m in µS/cm).
    case valueOutOfRange(found: String, parameter: Parameter)
    /// A field longer than the reader's limit (a lost closing quote, binary data); the row is not read.
    case fieldTooLong(byteCount: Int, limit: Int)
    /// A row longer than the reader's limit.
    case recordTooLong(byteCount: Int, limit: Int)
    /// A line holding a NUL or another control byte: text damaged in transfer or on disk.
    case controlCharacter(byte: UInt8)

    /// A stable snake_case code, used in the store, `--reason` filters and JSON.
    public var code: String {
        switch self {
        case .unknownPoint: "unknown_point"
        case .unknownParameter: "unknown_parameter"
        case .unknownUnit: "unknown_unit"
        case .unparseableTime: "bad_time"
        case .missingYear: "missing_year"
        case .unparseableValue: "bad_value"
        case .missingValue: "missing_value"
        case .sentinelValue: "sentinel_value"
        case .wrongFieldCount: "field_count"
        case .unterminatedQuote: "unterminated_quote"
        case .invalidEncoding: "bad_encoding"
        case .unrecognizedHeader: "unrecognized_header"
        case .notText: "not_text"
        case .valueOutOfRange: "bad_value"
        case .fieldTooLong: "field_too_long"
        case .recordTooLong: "record_too_long"
        case .controlCharacter: "bad_encoding"
        }
    }

    /// All codes, for `--reason` validation and docs.
    public static let allCodes = ["unknown_point", "unknown_parameter", "unknown_unit", "bad_time", "missing_year",
                                  "bad_value", "missing_value", "sentinel_value", "field_count",
                                  "unterminated_quote", "bad_encoding", "unrecognized_header", "not_text",
                                  "field_too_long", "record_too_long"]

    /// What a person reads: what was found and what was expected.
    public var message: String {
        switch self {
        case .unknownPoint(let found):
            "unknown point \"\(clip(found))\": expected a point_id or name from points.csv "
                + "(after adding it there, ingest the file again with --reread)"
        case .unknownParameter(let found):
            "unknown parameter \"\(clip(found))\": expected one of \(Parameter.allCases.map(\.code).joined(separator: " ")) "
                + "or a Chinese name such as 氨氮 (see docs/formats.md)"
        case .unknownUnit(let found, let parameter):
            "unknown unit \"\(clip(found))\" for \(parameter.code): expected a unit convertible to "
                + "\(parameter.canonicalUnit.rawValue.isEmpty ? "no unit" : parameter.canonicalUnit.rawValue)"
        case .unparseableTime(let found):
            "cannot read time \"\(clip(found))\": expected e.g. 2026-10-08 14:00:00, 2026/10/8 14:00 or ISO 8601"
        case .missingYear(let found):
            "time \"\(clip(found))\" has no year and the file name holds none: ingest again with --year YYYY --reread"
        case .unparseableValue(let found, let parameter):
            "cannot read \(parameter.code) value \"\(clip(found))\": expected a number, <DL, DL + L, ND or 未检出"
        case .missingValue(let parameter):
            "\(parameter.code) value is blank or a missing marker (--, *, NA, NaN, 缺测 …; the list: docs/formats.md)"
        case .sentinelValue(let found, let parameter):
            "\(parameter.code) value \(found) is an instrument sentinel (no measurement)"
        case .wrongFieldCount(let found, let expected):
            "row has \(found) fields: expected \(expected) as in the header"
        case .unterminatedQuote(let lastLine):
            "a quoted field opened here is never closed (the file ends at line \(lastLine))"
        case .invalidEncoding(let encoding):
            "line is not valid \(encoding) while the rest of the file is: mixed encodings"
        case .unrecognizedHeader(let header):
            "header on line \(header.line) not recognised — \(header.explanation)"
        case .notText(let detail):
            detail
        case .valueOutOfRange(let found, let parameter):
            "\(parameter.code) value \"\(clip(found))\" is out of range: no finite number in "
                + "\(parameter.canonicalUnit.rawValue.isEmpty ? "the parameter's unit" : parameter.canonicalUnit.rawValue)"
        case .fieldTooLong(let byteCount, let limit):
            "a field of \(byteCount) bytes, longer than the \(limit) a readings cell may have (a lost closing quote? "
                + "binary data?): the row is not read"
        case .recordTooLong(let byteCount, let limit):
            "a row of \(byteCount) bytes, longer than the \(limit) a row may have: the row is not read"
        case .controlCharacter(let byte):
            "line holds the control byte 0x\(String(byte, radix: 16, uppercase: true).leftPadded(to: 2)) "
                + "(\(byte == 0 ? "NUL" : "not text")): the file is damaged here; the row is not read"
        }
    }
}

/// A header row that is not recognised: what it holds and which columns each layout still needs.
public struct UnrecognizedHeader: Sendable, Equatable {
    /// 1-based line of the row taken for the header.
    public var line: Int
    /// The row's cells as written, trimmed.
    public var found: [String]
    /// The columns a long-layout file would still need, in the order a header usually has them.
    public var missingForLong: [HeaderColumn]
    /// The columns a wide-layout file would still need.
    public var missingForWide: [HeaderColumn]

    public init(line: Int, found: [String], missingForLong: [HeaderColumn], missingForWide: [HeaderColumn]) {
        self.line = line
        self.found = found
        self.missingForLong = missingForLong
        self.missingForWide = missingForWide
    }

    /// What was found and what is missing, for messages: `found point_id, parameter, val; a long-layout file
    /// needs a time column (time, 监测时间, 采样时间, …) and a value column (…); a wide one needs a time column
    /// and at least one parameter column (氨氮(mg/L), nh3n, …)`. A column's examples are given once.
    public var explanation: String {
        let shown = found.prefix(8).map { cell in
            cell.isEmpty ? "(blank)" : cell.count <= 40 ? cell : String(cell.prefix(39)) + "…"
        }
        let cells = found.isEmpty ? "nothing" : shown.joined(separator: ", ") + (found.count > 8 ? ", …" : "")
        var named = Set<HeaderColumn.Role>()
        func list(_ columns: [HeaderColumn]) -> String {
            let parts = columns.map { column in
                defer { named.insert(column.role) }
                if named.contains(column.role) || column.examples.isEmpty { return column.role.description }
                return "\(column.role.description) (\(column.examples.joined(separator: ", ")), …)"
            }
            guard let last = parts.last else { return "nothing more" }
            return parts.count == 1 ? last : parts.dropLast().joined(separator: ", ") + " and " + last
        }
        let long = list(missingForLong)
        let wide = list(missingForWide)
        return "found \(cells); a long-layout file needs \(long); a wide one needs \(wide)"
    }
}

/// A column a readings header needs, with a few of the spellings that would be recognised.
public struct HeaderColumn: Sendable, Equatable {
    /// What the column holds.
    public enum Role: String, Sendable, Equatable, CaseIterable {
        case point
        case time
        case parameterName
        case value
        /// A wide layout's column named for a parameter (`氨氮(mg/L)`).
        case parameter

        /// How a message names it.
        public var description: String {
            switch self {
            case .point: "a point column"
            case .time: "a time column"
            case .parameterName: "a parameter-name column"
            case .value: "a value column"
            case .parameter: "at least one parameter column"
            }
        }
    }

    public var role: Role
    /// A few header spellings that give this role, taken from the ingest alias tables.
    public var examples: [String]

    public init(role: Role, examples: [String]) {
        self.role = role
        self.examples = examples
    }
}

/// A row or a field that was not accepted, kept with its reason (the quarantine).
public struct Rejection: Sendable, Equatable {
    /// 1-based line in the source file (0 for the file as a whole).
    public var line: Int
    /// The column (header name) the problem is in, when it is one field.
    public var column: String?
    /// The row's text as it stood in the file.
    public var raw: String
    public var reason: RejectionReason

    public init(line: Int, column: String?, raw: String, reason: RejectionReason) {
        self.line = line
        self.column = column
        self.raw = raw
        self.reason = reason
    }
}

extension String {
    /// The string with `0`s in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

/// A cell quoted in a message, cut to 80 characters (the raw row keeps it whole).
private func clip(_ text: String) -> String {
    text.count <= 80 ? text : String(text.prefix(77)) + "…"
}

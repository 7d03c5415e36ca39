import Foundation

/// A calendar day without a time or a zone (a deadline as the district writes it: `2026-12-31`).
public struct CalendarDay: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `2026-12-31`, `2026/12/31`, `2026.12.31`, or a month alone (`2026-12`, meaning its last day); nil for
    /// anything else, impossible days (`2026-02-30`) included.
    public init?(cell: String) {
        let parts = cell.trimmingCharacters(in: .whitespaces)
            .split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "/" || $0 == "." }.map(String.init)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              let year = Int(parts[0]), (1900...9999).contains(year), let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        let last = CivilCalendar.daysIn(month: month, year: year)
        if parts.count == 2 {
            self.init(year: year, month: month, day: last)
            return
        }
        guard let day = Int(parts[2]), (1...last).contains(day) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The instant the day is over in `zone`: midnight at the start of the next day.
    public func end(in zone: TimeZone) -> Date {
        let midnightUTC = Double(CivilCalendar.days(year: year, month: month, day: day) + 1) * 86_400
        let next = Date(timeIntervalSince1970: midnightUTC)
        return next.addingTimeInterval(-Double(zone.secondsFromGMT(for: next)))
    }

    /// `2026-12-31`.
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// The level of a river chief in the river-chief system (河长制): who answers for the river, from the city down
/// to the village or neighbourhood.
public enum RiverChiefLevel: String, Sendable, Codable, CaseIterable, Labelled {
    /// 市级河长.
    case city
    /// 区级 (县级) 河长.
    case district
    /// 街道级 (镇级, 乡级) 河长: the sub-district's own.
    case subdistrict
    /// 村级 (社区级) 河长.
    case village

    /// The level a `level` cell names: the code, or the Chinese (区级, 街道级, 镇级, 村级, 社区级, with or without 河长).
    public init?(cell: String) {
        var text = cell.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasSuffix("河长") { text.removeLast(2) }
        switch text {
        case "city", "市级", "市": self = .city
        case "district", "county", "区级", "区", "县级", "县": self = .district
        case "subdistrict", "township", "街道级", "街道", "镇级", "镇", "乡级", "乡": self = .subdistrict
        case "village", "community", "村级", "村", "社区级", "社区": self = .village
        default: return nil
        }
    }

    public var code: String { rawValue }

    public var chinese: String {
        switch self {
        case .city: "市级河长"
        case .district: "区级河长"
        case .subdistrict: "街道级河长"
        case .village: "村（社区）级河长"
        }
    }

    public var english: String {
        switch self {
        case .city: "city river chief"
        case .district: "district river chief"
        case .subdistrict: "sub-district river chief"
        case .village: "village river chief"
        }
    }
}

/// A river chief (河长) of one river: one row of `river_chiefs.csv`.
public struct RiverChief: Sendable, Hashable, Codable, NetworkNamed {
    public var riverID: String
    /// The chief's name as the district writes it.
    public var name: String
    public var englishName: String?
    public var level: RiverChiefLevel
    /// A contact number, as written (free text: extensions, hyphens).
    public var phone: String?

    public init(riverID: String, name: String, level: RiverChiefLevel, phone: String? = nil, englishName: String? = nil) {
        self.riverID = riverID
        self.name = name
        self.level = level
        self.phone = phone
        self.englishName = englishName
    }
}

/// Where a measure of a river plan stands, as the district records it (`status` of `river_plans.csv`).
public enum MeasureStatus: String, Sendable, Codable, CaseIterable, Labelled {
    case planned
    case inProgress = "in_progress"
    case done
    /// Recorded as overdue; a measure past its deadline and not done is overdue whatever its cell says
    /// (``RiverMeasure/status(at:in:)``).
    case overdue

    /// The status a `status` cell names: the code (any letter case, `-` or space for `_`), or the Chinese.
    public init?(cell: String) {
        let text = cell.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        switch text {
        case "planned", "计划", "计划中", "未开始", "拟实施": self = .planned
        case "in_progress", "进行中", "实施中", "推进中": self = .inProgress
        case "done", "completed", "已完成", "完成": self = .done
        case "overdue", "逾期", "超期", "已逾期": self = .overdue
        default: return nil
        }
    }

    public var code: String { rawValue }

    public var chinese: String {
        switch self {
        case .planned: "计划"
        case .inProgress: "进行中"
        case .done: "已完成"
        case .overdue: "逾期"
        }
    }

    public var english: String {
        switch self {
        case .planned: "planned"
        case .inProgress: "in progress"
        case .done: "done"
        case .overdue: "overdue"
        }
    }
}

/// A measure of a river's plan (一河一策 措施: 截污纳管, 雨污分流, 清淤, 生态补水…): one row of `river_plans.csv`.
public struct RiverMeasure: Sendable, Hashable, Codable {
    public var id: String
    public var riverID: String
    /// What is to be done, as the district writes it.
    public var description: String
    public var englishDescription: String?
    /// Who answers for it (责任单位).
    public var responsibleUnit: String?
    public var englishResponsibleUnit: String?
    /// The day by which it is to be done (完成时限); nil = none set.
    public var deadline: CalendarDay?
    /// The status as recorded.
    public var recordedStatus: MeasureStatus

    public init(id: String, riverID: String, description: String, englishDescription: String? = nil,
                responsibleUnit: String? = nil, englishResponsibleUnit: String? = nil, deadline: CalendarDay? = nil,
                recordedStatus: MeasureStatus) {
        self.id = id
        self.riverID = riverID
        self.description = description
        self.englishDescription = englishDescription
        self.responsibleUnit = responsibleUnit
        self.englishResponsibleUnit = englishResponsibleUnit
        self.deadline = deadline
        self.recordedStatus = recordedStatus
    }

    /// The status at `date` (a report's period end, never the clock): overdue when the deadline day ended by then
    /// in `zone` and the measure is not done; else as recorded.
    public func status(at date: Date, in zone: TimeZone) -> MeasureStatus {
        if recordedStatus == .done { return .done }
        guard let deadline else { return recordedStatus }
        if deadline.end(in: zone) <= date { return .overdue }
        // Recorded overdue, but the deadline was still ahead at `date` (an older period's report): in progress then.
        return recordedStatus == .overdue ? .inProgress : recordedStatus
    }
}

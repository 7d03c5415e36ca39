import Foundation
import RiverModel

/// Reads the periods users write: `2026-10` (month), `2026-Q3` (quarter), `2026` (year), or a from/to pair
/// of dates (to inclusive), in local time.
public enum PeriodParser {
    public static func parse(_ text: String, timeZone: TimeZone) -> EvaluationPeriod? {
        let parts = text.split(separator: "-").map(String.init)
        guard let year = parts.first.flatMap(Int.init), (1900...2200).contains(year), parts[0].count == 4 else { return nil }
        switch parts.count {
        case 1:
            return period(text, year, 1, year + 1, 1, timeZone)
        case 2 where parts[1].uppercased().hasPrefix("Q"):
            guard let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter) else { return nil }
            let month = (quarter - 1) * 3 + 1
            return period(text, year, month, month == 10 ? year + 1 : year, month == 10 ? 1 : month + 3, timeZone)
        case 2:
            guard let month = Int(parts[1]), (1...12).contains(month) else { return nil }
            return period(text, year, month, month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, timeZone)
        default:
            return nil
        }
    }

    /// A range of whole local days, `to` included.
    public static func range(from: String, to: String, timeZone: TimeZone) -> EvaluationPeriod? {
        func day(_ text: String) -> (Int, Int, Int)? {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, (1...12).contains(parts[1]),
                  (1...CivilCalendar.daysIn(month: parts[1], year: parts[0])).contains(parts[2]) else { return nil }
            return (parts[0], parts[1], parts[2])
        }
        guard let a = day(from), let b = day(to) else { return nil }
        let start = localMidnight(CivilCalendar.days(year: a.0, month: a.1, day: a.2), timeZone)
        let end = localMidnight(CivilCalendar.days(year: b.0, month: b.1, day: b.2) + 1, timeZone)
        guard end > start else { return nil }
        return EvaluationPeriod(label: "\(from)…\(to)", start: start, end: end)
    }

    private static func period(_ label: String, _ y0: Int, _ m0: Int, _ y1: Int, _ m1: Int, _ zone: TimeZone) -> EvaluationPeriod {
        EvaluationPeriod(label: label, start: localMidnight(CivilCalendar.days(year: y0, month: m0, day: 1), zone),
                         end: localMidnight(CivilCalendar.days(year: y1, month: m1, day: 1), zone))
    }

    private static func localMidnight(_ days: Int, _ zone: TimeZone) -> Date {
        let local = Date(timeIntervalSince1970: TimeInterval(days * 86_400))
        let offset = zone.secondsFromGMT(for: local.addingTimeInterval(-TimeInterval(zone.secondsFromGMT(for: local))))
        return local.addingTimeInterval(-TimeInterval(offset))
    }
}

extension PeriodParser {
    /// The period before: the previous month, quarter or year, or a range of the same length just before.
    public static func previous(_ period: EvaluationPeriod, timeZone: TimeZone) -> EvaluationPeriod? {
        let parts = period.label.split(separator: "-").map(String.init)
        if let year = Int(parts.first ?? ""), parts.first?.count == 4 {
            if parts.count == 1 { return parse(String(year - 1), timeZone: timeZone) }
            if parts.count == 2, parts[1].uppercased().hasPrefix("Q"), let quarter = Int(parts[1].dropFirst()) {
                return parse(quarter == 1 ? "\(year - 1)-Q4" : "\(year)-Q\(quarter - 1)", timeZone: timeZone)
            }
            if parts.count == 2, let month = Int(parts[1]) {
                return parse(month == 1 ? "\(year - 1)-12" : String(format: "%04d-%02d", year, month - 1), timeZone: timeZone)
            }
        }
        let length = period.end.timeIntervalSince(period.start)
        return EvaluationPeriod(label: "previous", start: period.start.addingTimeInterval(-length), end: period.start)
    }
}

extension PeriodParser {
    /// The same period one year earlier, for the year-on-year comparison (同比): `2026-09` → `2025-09`,
    /// `2026-Q3` → `2025-Q3`, `2026` → `2025`, a range of days → the same days a year before (29 February, which a
    /// year before may lack, becomes 28 February). Nil for a label it cannot read.
    public static func yearBefore(_ period: EvaluationPeriod, timeZone: TimeZone) -> EvaluationPeriod? {
        let parts = period.label.split(separator: "-", maxSplits: 1).map(String.init)
        if let year = Int(parts.first ?? ""), parts.first?.count == 4, !period.label.contains("…") {
            return parse(String(format: "%04d", year - 1) + (parts.count == 2 ? "-" + parts[1] : ""), timeZone: timeZone)
        }
        let ends = period.label.components(separatedBy: "…")
        guard ends.count == 2 else { return nil }
        func shifted(_ text: String) -> String? {
            let numbers = text.split(separator: "-").compactMap { Int($0) }
            guard numbers.count == 3 else { return nil }
            let day = min(numbers[2], CivilCalendar.daysIn(month: numbers[1], year: numbers[0] - 1))
            return String(format: "%04d-%02d-%02d", numbers[0] - 1, numbers[1], day)
        }
        guard let from = shifted(ends[0]), let to = shifted(ends[1]) else { return nil }
        return range(from: from, to: to, timeZone: timeZone)
    }
}

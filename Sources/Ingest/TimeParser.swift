import Foundation
import RiverModel

/// Reads the date-time spellings of Chinese monitoring exports and returns UTC.
///
/// Accepted: `2026-10-08 14:00:00`, `2026-10-08 14:00`, `2026/10/8 14:00`, `2026.10.08 14:00`,
/// `2026年10月8日 14时00分`, `2026-10-08` (midnight), ISO 8601 with `T`, fractional seconds and an offset
/// (`Z`, `+08:00`, `+0800`), compact `20261008 1400` / `202610081400`, `24:00` (midnight of the next day),
/// and the national platform's `10-08 14:00` without a year, which takes `defaultYear`.
/// Times without an offset are local time in `timeZone`.
public struct TimeParser: Sendable {
    /// The zone of times that carry no offset (settings: `timezone`, default Asia/Shanghai).
    public let timeZone: TimeZone
    /// The year for times that carry none (from `--year` or the file name); nil means such times are rejected.
    public let defaultYear: Int?
    /// The month the default year belongs to (from a file name such as `platform_2026-12-31.csv`): a year-less
    /// time more than six months away from it belongs to the year before or after (an export across New Year).
    public let referenceMonth: Int?

    /// The outcome of reading one time.
    public enum Outcome: Equatable, Sendable {
        case time(Date)
        case missingYear
        case invalid
    }

    public init(timeZone: TimeZone, defaultYear: Int?, referenceMonth: Int? = nil) {
        self.timeZone = timeZone
        self.defaultYear = defaultYear
        self.referenceMonth = referenceMonth
    }

    /// Reads `text`.
    public func parse(_ text: String) -> Outcome {
        guard let fields = Self.split(text) else { return .invalid }
        var numbers = fields.numbers
        // Compact forms: 20261008, 202610081400, 20261008140000, or 20261008 1400.
        if let first = numbers.first, [8, 12, 14].contains(first.digits) {
            var parts = Self.splitDigits(first.value, widths: Array([4, 2, 2, 2, 2, 2].prefix(first.digits / 2 - 1)))
            numbers.removeFirst()
            if first.digits == 8, let clock = numbers.first, clock.digits == 4 {
                parts += [clock.value / 100, clock.value % 100]
                numbers.removeFirst()
            }
            numbers = parts.enumerated().map { Group(value: $1, digits: $0 == 0 ? 4 : 2) } + numbers
        }
        guard numbers.count >= 2 else { return .invalid }

        var year: Int
        var rest: ArraySlice<Group>
        if numbers[0].digits == 4 {
            guard numbers.count >= 3 else { return .invalid }
            year = numbers[0].value
            rest = numbers[1...]
        } else {
            // Month-day and a time of day without a year (the national platform's `10-08 14:00`).
            // A four-digit group later on (`8/10/2026`) is a day-first or month-first date with a year: ambiguous.
            guard numbers.count >= 3, numbers[0].value <= 12, !numbers.contains(where: { $0.digits == 4 }) else {
                return .invalid
            }
            guard let defaultYear else { return .missingYear }
            year = defaultYear
            if let referenceMonth {
                if numbers[0].value - referenceMonth > 6 { year -= 1 }
                if referenceMonth - numbers[0].value > 6 { year += 1 }
            }
            rest = numbers[...]
        }
        let parts = Array(rest)
        guard parts.count >= 2, parts.count <= 5 else { return .invalid }
        let month = parts[0].value
        let day = parts[1].value
        var hour = parts.count > 2 ? parts[2].value : 0
        let minute = parts.count > 3 ? parts[3].value : 0
        let second = parts.count > 4 ? parts[4].value : 0
        guard (1...12).contains(month), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year),
              (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              hour < 24 || (minute == 0 && second == 0) else { return .invalid }
        guard (1900...2200).contains(year) else { return .invalid }
        var days = CivilCalendar.days(year: year, month: month, day: day)
        if hour == 24 { hour = 0; days += 1 }
        let localSeconds = days * 86_400 + hour * 3_600 + minute * 60 + second
        let offset = fields.offsetSeconds ?? offsetOfLocal(seconds: localSeconds)
        return .time(Date(timeIntervalSince1970: TimeInterval(localSeconds - offset)))
    }

    /// The zone's offset for a local wall-clock time (seconds since 1970 as if UTC).
    private func offsetOfLocal(seconds local: Int) -> Int {
        // The offset at (local − offset) is the answer; one refinement covers DST transitions.
        let first = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
        return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - first)))
    }

    struct Group {
        var value: Int
        var digits: Int
    }

    struct Fields {
        var numbers: [Group] = []
        var offsetSeconds: Int?
    }

    /// Splits a time into digit groups and an optional trailing offset; nil on characters no format uses.
    static func split(_ text: String) -> Fields? {
        var fields = Fields()
        var current = 0
        var digits = 0
        var sawTimeSeparator = false
        var offsetSign = 0
        var inFraction = false
        func flush() {
            if digits > 0, !inFraction { fields.numbers.append(Group(value: current, digits: digits)) }
            current = 0
            digits = 0
        }
        var groupsInOffset: [Group] = []
        for scalar in text.unicodeScalars {
            var value = scalar.value
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }  // full-width forms
            switch value {
            case 0x30...0x39:
                guard digits < 14 else { return nil }
                current = current * 10 + Int(value - 0x30)
                digits += 1
                continue
            default: break
            }
            if offsetSign != 0 {
                if digits > 0 { groupsInOffset.append(Group(value: current, digits: digits)) }
                current = 0; digits = 0
                guard value == 0x3A else { return nil }  // only ':' inside an offset
                continue
            }
            flush()
            switch value {
            case 0x2D, 0x2F, 0x2E, 0x20, 0x54, 0x3A, 0x5F, 0x09:  // - / . space T : _ tab
                if value == 0x3A { sawTimeSeparator = true }
                if value == 0x2E, sawTimeSeparator, fields.numbers.count >= 5 { inFraction = true; continue }
                if value == 0x2D, sawTimeSeparator, fields.numbers.count >= 4 { offsetSign = -1 }
            case 0x2B:  // +
                guard fields.numbers.count >= 4 else { return nil }
                offsetSign = 1
            case 0x5A, 0x7A:  // Z
                fields.offsetSeconds = 0
            case 0x5E74, 0x6708, 0x65E5, 0x53F7, 0x65F6, 0x70B9, 0x5206, 0x79D2:  // 年 月 日 号 时 点 分 秒
                if value == 0x65F6 || value == 0x70B9 || value == 0x5206 { sawTimeSeparator = true }
            default:
                return nil
            }
            if value != 0x2E { inFraction = false }
        }
        if offsetSign != 0 {
            if digits > 0 { groupsInOffset.append(Group(value: current, digits: digits)) }
            let hours: Int
            let minutes: Int
            if groupsInOffset.count == 1, groupsInOffset[0].digits == 4 {
                hours = groupsInOffset[0].value / 100
                minutes = groupsInOffset[0].value % 100
            } else if groupsInOffset.count >= 1, groupsInOffset[0].digits <= 2 {
                hours = groupsInOffset[0].value
                minutes = groupsInOffset.count > 1 ? groupsInOffset[1].value : 0
            } else {
                return nil
            }
            guard hours <= 14, minutes < 60 else { return nil }
            fields.offsetSeconds = offsetSign * (hours * 3_600 + minutes * 60)
        } else {
            flush()
        }
        return fields
    }

    /// Splits a number written with fixed-width digit fields (`20261008` → 2026, 10, 8).
    static func splitDigits(_ value: Int, widths: [Int]) -> [Int] {
        var remaining = value
        var parts: [Int] = []
        for width in widths.reversed() {
            var power = 1
            for _ in 0..<width { power *= 10 }
            parts.append(remaining % power)
            remaining /= power
        }
        return parts.reversed()
    }

    /// The year a file name holds (`auto_202610.csv`, `platform_2026-10-03.csv`), if any.
    public static func year(inFileName name: String) -> Int? {
        yearAndMonth(inFileName: name)?.year
    }

    /// The year and, when it follows (`2026-10`, `202610`, `2026_10`), the month a file name holds.
    public static func yearAndMonth(inFileName name: String) -> (year: Int, month: Int?)? {
        let scalars = Array(name.unicodeScalars)
        var index = 0
        while index + 4 <= scalars.count {
            let window = scalars[index..<index + 4]
            let precededByDigit = index > 0 && CharacterSet.decimalDigits.contains(scalars[index - 1])
            if !precededByDigit, window.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }),
               let year = Int(String(String.UnicodeScalarView(window))), (1990...2100).contains(year) {
                var rest = scalars[(index + 4)...].drop { $0 == "-" || $0 == "_" || $0 == "." || $0 == "年" }
                let digits = rest.prefix { $0.value >= 0x30 && $0.value <= 0x39 }
                rest = rest.dropFirst(digits.count)
                let monthText = String(String.UnicodeScalarView(digits.prefix(2)))
                let month = Int(monthText).flatMap { (1...12).contains($0) && (digits.count == 2 || digits.count == 4 || digits.count == 1) ? $0 : nil }
                return (year, month)
            }
            index += 1
        }
        return nil
    }
}

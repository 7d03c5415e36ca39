import CSV
import Foundation
import RiverModel
import SystemPackage

/// Local calendar facts of one time step.
struct StepClock {
    var dayOfYear: Double
    var hourOfDay: Double
}

/// Writes the simulated readings in the shapes real districts export, and counts what ingest should report.
///
/// - Main-river stations: one wide GB18030 file a day with national-platform Chinese headers, CRLF, points by name.
/// - Other stations: one long UTF-8 file a day, ids and codes, ISO 8601 times with offset, HJ 212 flags,
///   TP in µg/L at one station.
/// - Manual points: one lab sheet a month (UTF-8 with BOM, semicolons, censored values).
/// - Dirt, on purpose: a re-delivered day file each month, a sentinel and a cut row, an overlap of two hours.
struct DumpWriter {
    let directory: String
    let settings: SimulationSettings
    let points: [MonitoringPoint]
    let withDirt: Bool
    private(set) var expected = ExpectedIngest()
    private(set) var files: [String] = []

    private var currentDay = -1
    private var dayIndex = -1
    private var wide: CSVFileWriter?
    private var wideRelativePath = ""
    private var long: CSVFileWriter?
    private var labMonth = ""
    private var labRows: [(String, [String])] = []
    private var previousTail: [[String]] = []
    private var currentTail: [[String]] = []
    private var wroteSentinel = false
    private var wroteCutRow = false
    private var localDate = (year: 0, month: 0, day: 0)
    private let offsetSeconds: Int
    private let microgramStation: String?

    init(directory: String, settings: SimulationSettings, points: [MonitoringPoint], withDirt: Bool) {
        self.directory = directory
        self.settings = settings
        self.points = points
        self.withDirt = withDirt
        offsetSeconds = settings.timeZone.secondsFromGMT(for: settings.start)
        let longStations = points.filter { $0.kind == .automatic && $0.riverID != points.first?.riverID }
        microgramStation = settings.allAutomatic ? nil : longStations.first?.id
    }

    /// Starts a time step: opens the day's files when the local date changes.
    mutating func beginStep(step: Int, hour: Double) throws -> StepClock {
        let local = Int(settings.start.timeIntervalSince1970) + Int(hour * 3600) + offsetSeconds
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondsOfDay = local - day * 86_400
        if day != currentDay {
            try closeDay()
            currentDay = day
            dayIndex += 1
            localDate = CivilCalendar.date(days: day)
            wroteSentinel = false
            wroteCutRow = false
            let month = String(format: "%04d%02d", localDate.year, localDate.month)
            if month != labMonth {
                try writeLabSheet()
                labMonth = month
            }
        }
        let startOfYear = CivilCalendar.days(year: localDate.year, month: 1, day: 1)
        return StepClock(dayOfYear: Double(day - startOfYear) + Double(secondsOfDay) / 86_400,
                         hourOfDay: Double(secondsOfDay) / 3600)
    }

    /// One wide row: a main-river station at one time.
    mutating func wideRow(point: Int, labelHour: Double, values: [Double], slots: [Slot]) throws {
        if wide == nil { wide = try openWide() }
        guard let wide else { return }
        wide.field(points[point].name)
        wide.field(timeText(labelHour, iso: false))
        for slot in slots { wide.field(values[slot.rawValue], decimals: Self.decimals(slot)) }
        wide.field("正常")
        try wide.endRow()
        expected.readingsRead += slots.count
    }

    /// Long rows: one per parameter of a station at one time.
    mutating func longRows(point: Int, labelHour: Double, values: [Double], slots: [Slot]) throws {
        if long == nil { long = try openLong() }
        guard let long else { return }
        let id = points[point].id
        let time = timeText(labelHour, iso: true)
        let hourOfDay = Int((labelHour * 3600 + Double(Int(settings.start.timeIntervalSince1970) + offsetSeconds))
            .truncatingRemainder(dividingBy: 86_400) / 3600)
        let dirtDay = withDirt && dayIndex % 30 == 20
        for slot in slots {
            var value = values[slot.rawValue]
            var unit = slot.parameter.canonicalUnit.rawValue
            if slot == .tp && id == microgramStation {
                value *= 1000
                unit = MeasurementUnit.microgramsPerLitre.rawValue
            }
            let fields = [id, time, slot.parameter.code, Self.format(value, decimals: Self.decimals(slot) - (unit == "µg/L" ? 3 : 0)), unit, "N"]
            if dirtDay && !wroteSentinel && hourOfDay == 12 && slot == .dissolvedOxygen {
                // An instrument glitch: the logger wrote its sentinel instead of the value.
                wroteSentinel = true
                for field in [id, time, slot.parameter.code, "-999", unit, "N"] { long.field(field) }
                try long.endRow()
                expected.readingsRead += 1
                expected.quarantinedByReason["sentinel_value", default: 0] += 1
                continue
            }
            for field in fields { long.field(field) }
            try long.endRow()
            expected.readingsRead += 1
            if hourOfDay >= 22 { currentTail.append(fields) }
            if dirtDay && !wroteCutRow && hourOfDay == 13 && slot == .dissolvedOxygen {
                // A row cut short in transmission, delivered besides the good one.
                wroteCutRow = true
                try long.rawLine("\(id),\(time),\(slot.parameter.code)")
                expected.readingsRead += 1
                expected.quarantinedByReason["field_count", default: 0] += 1
            }
        }
    }

    /// Keeps a lab result for the month's sheet.
    mutating func labRow(point: Int, hour: Double, values: [Double], slots: [Slot]) {
        var cells = [points[point].id, labTimeText(hour)]
        for slot in slots {
            let value = values[slot.rawValue]
            switch slot {
            case .nh3n where value < 0.025: cells.append(labMonth.hasSuffix("1") ? "0.025L" : "<0.025")
            case .tp where value < 0.01: cells.append("0.01L")
            case .bod5 where value < 2: cells.append("<2")
            default: cells.append(Self.format(value, decimals: Self.decimals(slot)))
            }
        }
        expected.readingsRead += slots.count
        labRows.append((points[point].id, cells))
    }

    /// Closes everything and writes the last lab sheet.
    mutating func finish() throws {
        try closeDay()
        try writeLabSheet()
        expected.accepted = expected.readingsRead - expected.duplicates - expected.conflicts
            - expected.quarantinedByReason.values.reduce(0, +)
    }

    // MARK: files

    private var dayStamp: String { String(format: "%04d%02d%02d", localDate.year, localDate.month, localDate.day) }
    private var monthFolder: String { String(format: "auto/%04d%02d", localDate.year, localDate.month) }

    private mutating func openWide() throws -> CSVFileWriter {
        let name = settings.allAutomatic ? "stations_\(dayStamp).csv" : "\(points.first?.riverID.lowercased() ?? "main")_auto_\(dayStamp).csv"
        wideRelativePath = "\(monthFolder)/\(name)"
        let writer = try open(wideRelativePath, encoding: .gb18030, delimiter: .comma, crlf: true)
        for header in ["断面名称", "监测时间", "水温(℃)", "pH(无量纲)", "溶解氧(mg/L)", "电导率(μS/cm)", "浊度(NTU)",
                       "高锰酸盐指数(mg/L)", "氨氮(mg/L)", "总磷(mg/L)", "总氮(mg/L)", "站点情况"] { writer.field(header) }
        try writer.endRow()
        return writer
    }

    private mutating func openLong() throws -> CSVFileWriter {
        let writer = try open("\(monthFolder)/tributaries_auto_\(dayStamp).csv", encoding: .utf8, delimiter: .comma, crlf: false)
        for header in ["point_id", "time", "parameter", "value", "unit", "flag"] { writer.field(header) }
        try writer.endRow()
        // Two hours of yesterday delivered again (the exporter's window overlaps).
        if withDirt && dayIndex % 30 == 25 {
            for fields in previousTail {
                for field in fields { writer.field(field) }
                try writer.endRow()
                expected.readingsRead += 1
                expected.duplicates += 1
            }
        }
        return writer
    }

    private mutating func open(_ relative: String, encoding: TextEncoding, delimiter: CSVDelimiter, crlf: Bool) throws -> CSVFileWriter {
        let path = FilePath(directory).pushing(FilePath(relative))
        try FileManager.default.createDirectory(atPath: path.removingLastComponent().string,
                                                withIntermediateDirectories: true)
        files.append(relative)
        expected.files += 1
        return try CSVFileWriter(path: path.string, encoding: encoding, delimiter: delimiter, crlf: crlf)
    }

    private mutating func closeDay() throws {
        if let wide {
            try wide.close()
            if withDirt && dayIndex % 30 == 10 {
                // The same file delivered again under another name: the ledger must skip it.
                let copy = wideRelativePath.replacingOccurrences(of: ".csv", with: "_resend.csv")
                try FileManager.default.copyItem(atPath: FilePath(directory).pushing(FilePath(wideRelativePath)).string,
                                                 toPath: FilePath(directory).pushing(FilePath(copy)).string)
                files.append(copy)
                expected.files += 1
                expected.skippedFiles += 1
            }
        }
        try long?.close()
        wide = nil
        long = nil
        previousTail = currentTail
        currentTail = []
    }

    private mutating func writeLabSheet() throws {
        guard !labRows.isEmpty else { return }
        let writer = try open("manual/lab_\(labMonth).csv", encoding: .utf8WithBOM, delimiter: .semicolon, crlf: true)
        for header in ["点位编号", "采样时间", "水温(℃)", "pH", "溶解氧(mg/L)", "高锰酸盐指数(mg/L)", "化学需氧量(mg/L)",
                       "五日生化需氧量(mg/L)", "氨氮(mg/L)", "总磷(mg/L)", "总氮(mg/L)", "透明度(cm)", "氧化还原电位(mV)"] {
            writer.field(header)
        }
        try writer.endRow()
        for (_, cells) in labRows.sorted(by: { $0.0 < $1.0 }) {
            for cell in cells { writer.field(cell) }
            try writer.endRow()
        }
        try writer.close()
        labRows = []
    }

    // MARK: formatting

    private func timeText(_ hour: Double, iso: Bool) -> String {
        let local = Int(settings.start.timeIntervalSince1970) + Int((hour * 3600).rounded()) + offsetSeconds
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let date = CivilCalendar.date(days: day)
        let seconds = local - day * 86_400
        let base = String(format: "%04d-%02d-%02d%@%02d:%02d:00", date.year, date.month, date.day, iso ? "T" : " ",
                          seconds / 3600, (seconds % 3600) / 60)
        guard iso else { return base }
        let sign = offsetSeconds >= 0 ? "+" : "-"
        return base + String(format: "%@%02d:%02d", sign, abs(offsetSeconds) / 3600, (abs(offsetSeconds) % 3600) / 60)
    }

    /// Lab sheets write times the way people type them: `2026/10/8 10:30`.
    private func labTimeText(_ hour: Double) -> String {
        let local = Int(settings.start.timeIntervalSince1970) + Int((hour * 3600).rounded()) + offsetSeconds
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let date = CivilCalendar.date(days: day)
        let seconds = local - day * 86_400
        return "\(date.year)/\(date.month)/\(date.day) \(seconds / 3600):" + String(format: "%02d", (seconds % 3600) / 60)
    }

    static func decimals(_ slot: Slot) -> Int {
        switch slot {
        case .temp, .turbidity, .cod, .bod5: 1
        case .ph, .dissolvedOxygen, .codmn, .tn: 2
        case .nh3n, .tp: 3
        case .conductivity, .transparency, .orp: 0
        }
    }

    static func format(_ value: Double, decimals: Int) -> String {
        String(format: "%.\(max(0, decimals))f", value)
    }
}

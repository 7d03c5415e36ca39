import Foundation
@testable import Ingest
import RiverModel
import Testing

private let shanghai = TimeZone.chinaStandard

/// UTC seconds from Python's calendar.timegm, an independent reference.
@Suite("date-time spellings")
struct TimeParserTests {
    let parser = TimeParser(timeZone: shanghai, defaultYear: nil)

    @Test("local spellings of 2026-10-08 14:00 Beijing time are 06:00 UTC", arguments: [
        "2026-10-08 14:00:00", "2026-10-08 14:00", "2026/10/8 14:00", "2026/10/08 14:00:00", "2026.10.08 14:00",
        "2026年10月8日 14时", "2026年10月8日 14:00", "2026-10-08T14:00:00", "2026-10-08T14:00:00.000",
        "20261008 1400", "202610081400", "２０２６-１０-０８ １４:００",
    ])
    func localSpellings(text: String) {
        #expect(parser.parse(text) == .time(Date(timeIntervalSince1970: 1_791_439_200)))
    }

    @Test("explicit offsets win over the local zone", arguments: [
        ("2026-10-08T06:00:00Z", 1_791_439_200), ("2026-10-08T14:00:00+08:00", 1_791_439_200),
        ("2026-10-08 14:00+0800", 1_791_439_200), ("2026-10-08T14:00:00-05:00", 1_791_486_000),
    ])
    func offsets(text: String, seconds: Int) {
        #expect(parser.parse(text) == .time(Date(timeIntervalSince1970: TimeInterval(seconds))))
    }

    @Test("a date alone is local midnight; 24:00 is midnight of the next day")
    func dateOnlyAndMidnight() {
        #expect(parser.parse("2026-10-08") == .time(Date(timeIntervalSince1970: 1_791_388_800)))
        #expect(parser.parse("2026-10-08 24:00") == .time(Date(timeIntervalSince1970: 1_791_475_200)))
    }

    @Test("China's 1988 daylight saving time is honoured (UTC+9 in June 1988)")
    func historicDST() {
        #expect(parser.parse("1988-06-01 09:00") == .time(Date(timeIntervalSince1970: 581_126_400)))
    }

    @Test("a leap day exists in 2024 and not in 2026")
    func leapDay() {
        #expect(parser.parse("2024-02-29 12:30:15") == .time(Date(timeIntervalSince1970: 1_709_181_015)))
        #expect(parser.parse("2026-02-29 12:30") == .invalid)
    }

    @Test("times without a year need one", arguments: ["10-08 14:00", "10/08 14:00"])
    func missingYear(text: String) {
        #expect(parser.parse(text) == .missingYear)
        let withYear = TimeParser(timeZone: shanghai, defaultYear: 2026)
        #expect(withYear.parse(text) == .time(Date(timeIntervalSince1970: 1_791_439_200)))
    }

    @Test("impossible or foreign times are invalid", arguments: [
        "2026-13-45 25:00", "2026-10-08 14:61", "yesterday", "", "14:00", "2026-10-08 14:00 PM", "1.5", "8/10/2026 14:00",
    ])
    func invalid(text: String) {
        #expect(parser.parse(text) == .invalid)
    }

    @Test("the year in a file name", arguments: [
        ("platform_2026-10-03.csv", 2026), ("auto_202610_GB18030.csv", 2026), ("李大河2019年10月.csv", 2019),
    ])
    func yearInFileName(name: String, year: Int) {
        #expect(TimeParser.year(inFileName: name) == year)
    }

    @Test("a file name without a year gives none")
    func noYearInFileName() {
        #expect(TimeParser.year(inFileName: "export_10-03.csv") == nil)
        #expect(TimeParser.year(inFileName: "station12345.csv") == nil)
    }
}

@Suite("value cells")
struct ValueParserTests {
    let parser = ValueParser()

    @Test("numbers", arguments: [("0.52", 0.52), (" 7.1 ", 7.1), ("-3", -3), ("1e-3", 0.001), ("１２.５", 12.5)])
    func numbers(text: String, value: Double) {
        #expect(parser.parse(Substring(text)) == .value(value))
    }

    @Test("censored spellings keep their detection limit", arguments: [
        ("<0.05", 0.05), ("＜0.05", 0.05), ("0.05L", 0.05), ("ND(0.02)", 0.02), ("未检出（<0.01）", 0.01), ("< 2", 2),
    ])
    func censored(text: String, limit: Double) {
        #expect(parser.parse(Substring(text)) == .censored(detectionLimit: limit))
    }

    @Test("censored without a limit", arguments: ["ND", "未检出", "N.D.", "<DL", "BDL"])
    func censoredWithoutLimit(text: String) {
        #expect(parser.parse(Substring(text)) == .censored(detectionLimit: nil))
    }

    @Test("blanks and platform missing markers", arguments: ["", "  ", "--", "*", "—", "NA", "nan", "缺测"])
    func missing(text: String) {
        #expect(parser.parse(Substring(text)) == .missing)
    }

    @Test("a missing value's message names markers beyond -- and * (a NaN cell is not left unexplained)")
    func missingMessageNamesMarkers() {
        let message = RejectionReason.missingValue(parameter: .ammoniaNitrogen).message
        for marker in ["NaN", "NA", "缺测", "docs/formats.md"] { #expect(message.contains(marker), "\(marker)") }
    }

    @Test("sentinels", arguments: ["-999", "-9999", "-999.0"])
    func sentinels(text: String) {
        #expect(parser.parse(Substring(text)) == .sentinel)
    }

    @Test("not values", arguments: ["abc", "inf", "0x1p3", "1,5", "<abc", "ND(x)", "12mg"])
    func invalid(text: String) {
        #expect(parser.parse(Substring(text)) == .invalid)
    }
}

@Suite("units and headers")
struct HeaderTests {
    @Test("unit conversions to the canonical unit (hand-worked)", arguments: [
        ("µg/L", Parameter.totalPhosphorus, 180.0, 0.18), ("μg/L", .totalPhosphorus, 25.0, 0.025),
        ("ug/L", .ammoniaNitrogen, 500.0, 0.5), ("mS/cm", .conductivity, 0.62, 620.0),
        ("mS/m", .conductivity, 62.0, 620.0), ("°F", .temperature, 68.0, 20.0), ("m", .transparency, 0.35, 35.0),
        ("V", .redoxPotential, -0.12, -120.0), ("FNU", .turbidity, 12.0, 12.0), ("mg/l", .dissolvedOxygen, 6.0, 6.0),
    ])
    func conversions(unitText: String, parameter: Parameter, value: Double, expected: Double) throws {
        let unit = try #require(MeasurementUnit.named(unitText))
        #expect(unit.dimension == parameter.canonicalUnit.dimension)
        #expect(abs(unit.convert(value, to: parameter.canonicalUnit) - expected) < 1e-9)
    }

    @Test("unknown units are unknown, not guessed", arguments: ["furlongs", "mg", "cells/L", "MS/cm"])
    func unknownUnits(text: String) {
        #expect(MeasurementUnit.named(text) == nil)
    }

    @Test("wide headers with units in brackets", arguments: [
        ("氨氮(mg/L)", Parameter.ammoniaNitrogen, MeasurementUnit.milligramsPerLitre),
        ("水温（℃）", .temperature, .degreesCelsius), ("电导率(μS/cm)", .conductivity, .microsiemensPerCentimetre),
        ("NH3-N [mg/L]", .ammoniaNitrogen, .milligramsPerLitre), ("总磷(µg/L)", .totalPhosphorus, .microgramsPerLitre),
        ("pH(无量纲)", .pH, .dimensionless), ("叶绿素α（mg/L）", .chlorophyllA, .milligramsPerLitre),
    ])
    func wideHeaders(header: String, parameter: Parameter, unit: MeasurementUnit) {
        #expect(TableHeader.role(of: header) == .parameter(parameter, unit: unit, unknownUnit: nil))
    }

    @Test("a parameter header with an unknown unit keeps the unit text for the rejection")
    func headerWithUnknownUnit() {
        #expect(TableHeader.role(of: "氨氮(furlongs)") == .parameter(.ammoniaNitrogen, unit: nil, unknownUnit: "furlongs"))
    }

    @Test("layouts are told apart by their header")
    func layouts() {
        #expect(TableHeader(fields: ["point_id", "time", "parameter", "value", "unit", "flag"])?.layout == .long)
        #expect(TableHeader(fields: ["断面名称", "监测时间", "溶解氧(mg/L)", "站点情况"])?.layout == .wide)
        #expect(TableHeader(fields: ["点位编号", "采样日期", "采样时间", "氨氮"])?.layout == .wide)
        #expect(TableHeader(fields: ["name", "date", "color"]) == nil)
        #expect(TableHeader(fields: ["断面名称", "溶解氧"]) == nil)
    }

    @Test("station status words map to HJ 212 flags; letters stay")
    func flags() {
        #expect(StationFlag.normalized("正常") == "N")
        #expect(StationFlag.normalized("维护") == "M")
        #expect(StationFlag.normalized("D") == "D")
        #expect(StationFlag.normalized(" ") == nil)
    }
}

@Suite("byte-level value parsing")
struct ByteValueTests {
    @Test("plain decimals from bytes equal the C library's strtod, bit for bit, on 100,000 random cells")
    func agreesWithStrtod() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let integer = Int.random(in: -99_999...999_999, using: &generator)
            let decimals = Int.random(in: 0...8, using: &generator)
            var text = String(integer)
            if decimals > 0 { text += "." + String(Int.random(in: 0...99_999_999, using: &generator)).prefix(decimals) }
            let parsed = ValueParser().parse(bytes: ArraySlice(Array(text.utf8)))
            let reference = strtod(text, nil)
            #expect(parsed == (reference == -999 || reference == -9999 || reference == -99999 ? .sentinel : .value(reference)),
                    "\(text)")
        }
    }

    @Test("cells the fast path does not take still read as before", arguments: [
        ("<0.05", ValueParser.Outcome.censored(detectionLimit: 0.05)), ("  7.10 ", .value(7.1)), ("1e-3", .value(0.001)),
        ("--", .missing), ("", .missing), ("abc", .invalid), ("１２.５", .value(12.5)), ("-", .missing), (".", .invalid),
    ])
    func fallback(text: String, expected: ValueParser.Outcome) {
        #expect(ValueParser().parse(bytes: ArraySlice(Array(text.utf8))) == expected)
    }
}

@Suite("header spellings seen in Chinese exports")
struct HeaderSpellingTests {
    @Test("units after a space or a slash, qualifiers in brackets", arguments: [
        ("溶解氧 mg/L", Parameter.dissolvedOxygen, MeasurementUnit.milligramsPerLitre),
        ("总磷/mg/L", .totalPhosphorus, .milligramsPerLitre), ("水温/℃", .temperature, .degreesCelsius),
        ("总氮(以N计)(mg/L)", .totalNitrogen, .milligramsPerLitre), ("总磷（以P计）(μg/L)", .totalPhosphorus, .microgramsPerLitre),
        ("电导率（25℃）(mS/cm)", .conductivity, .millisiemensPerCentimetre),
    ])
    func withUnit(header: String, parameter: Parameter, unit: MeasurementUnit) {
        #expect(TableHeader.role(of: header) == .parameter(parameter, unit: unit, unknownUnit: nil))
    }

    @Test("the standard's own names, qualifiers only, are the parameter in its canonical unit", arguments: [
        ("氨氮（NH3-N）", Parameter.ammoniaNitrogen), ("总磷（以P计）", .totalPhosphorus), ("化学需氧量（COD）", .chemicalOxygenDemand),
        ("五日生化需氧量（BOD5）", .biochemicalOxygenDemand), ("电导率（25℃）", .conductivity), ("pH值", .pH),
    ])
    func qualifiersOnly(header: String, parameter: Parameter) {
        #expect(TableHeader.role(of: header) == .parameter(parameter, unit: nil, unknownUnit: nil))
    }
}

@Suite("year-less times across New Year")
struct NewYearTests {
    @Test("a platform file named for 2026-12-31 puts 01-01 00:00 in 2027 and 12-31 in 2026")
    func rollover() {
        let parser = TimeParser(timeZone: TimeZone.chinaStandard, defaultYear: 2026, referenceMonth: 12)
        // 2027-01-01 00:00 +08 = 2026-12-31T16:00Z = 1798732800 (Python calendar.timegm).
        #expect(parser.parse("01-01 00:00") == .time(Date(timeIntervalSince1970: 1_798_732_800)))
        #expect(parser.parse("12-31 20:00") == .time(Date(timeIntervalSince1970: 1_798_732_800 - 4 * 3600)))
    }

    @Test("the month after the year in a file name", arguments: [
        ("platform_2026-12-31.csv", 2026, 12 as Int?), ("auto_202610_GB18030.csv", 2026, 10), ("李大河2019年10月.csv", 2019, 10),
        ("export_2026.csv", 2026, nil),
    ])
    func yearAndMonth(name: String, year: Int, month: Int?) {
        let found = TimeParser.yearAndMonth(inFileName: name)
        #expect(found?.year == year && found?.month == month)
    }
}

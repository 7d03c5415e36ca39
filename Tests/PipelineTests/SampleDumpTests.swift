import Foundation
import Ingest
import Pipeline
import RiverModel
import Standards
import Store
import TestSupport
import Testing

/// Expected values come from data/samples/README.md, written when the samples were made (not from this code).
@Suite("the sample dumps of data/samples")
struct SampleDumpTests {
    let samples = repositoryPath("data/samples")
    let network = sampleNetwork

    func ingestSamples() throws -> (IngestReport, ReadingStore) {
        let store = try ReadingStore.inMemory()
        let report = try IngestJob(store: store, network: network, options: IngestOptions()).run(paths: [samples])
        return (report, store)
    }

    func value(_ store: ReadingStore, _ point: String, _ parameter: String, local: String) throws -> (Double?, Bool)? {
        let time = TimeParser(timeZone: TimeZone.chinaStandard, defaultYear: nil).parse(local)
        guard case .time(let date) = time else { return nil }
        for entry in try store.ledger() {
            for row in try store.readings(fromFileWithID: entry.id)
            where row.pointID == point && row.parameter.code == parameter && row.time == date {
                return (row.value, row.censored)
            }
        }
        return nil
    }

    @Test("every file: readings read = accepted + duplicates + conflicts + quarantined; only the error file quarantines")
    func invariant() throws {
        let (report, _) = try ingestSamples()
        #expect(report.files.count == 5)
        for file in report.files {
            #expect(file.readingsRead == file.accepted + file.duplicates + file.conflicts + file.quarantined, "\(file.path)")
            let expected = file.path.hasSuffix("errors_202610.csv") ? 9 : 0
            #expect(file.quarantined == expected, "\(file.path)")
        }
        let t = report.totals
        #expect(t.readingsRead == t.accepted + t.duplicates + t.conflicts + t.quarantined)
    }

    @Test("the error file: 15 good rows, 9 bad ones on the lines the README lists, one reason each")
    func errorFile() throws {
        let (report, store) = try ingestSamples()
        let file = try #require(report.files.first { $0.path.hasSuffix("errors_202610.csv") })
        #expect(file.accepted == 15)
        var rows: [QuarantinedRow] = []
        try store.quarantinedRows(file: "errors_202610.csv") { rows.append($0) }
        #expect(rows.map(\.line) == [5, 8, 10, 12, 14, 16, 18, 20, 22])
        #expect(rows.map(\.reason) == ["unknown_point", "unknown_parameter", "unknown_unit", "bad_time", "bad_value",
                                       "field_count", "field_count", "sentinel_value", "missing_value"])
    }

    @Test("the GB18030 wide file is read by point name: PLH-04's NH3-N peak 2.056 at 10-02 00:00")
    func gb18030Values() throws {
        let (report, store) = try ingestSamples()
        #expect(report.files.first { $0.path.hasSuffix("auto_202610_GB18030.csv") }?.encoding == "gb18030")
        #expect(try value(store, "PLH-04", "nh3n", local: "2026-10-02 00:00")?.0 == 2.056)
        #expect(try value(store, "LDH-05", "nh3n", local: "2026-10-02 01:00")?.0 == 1.404)
        // Missing markers are blanks, not readings.
        #expect(try value(store, "LDH-04", "tp", local: "2026-10-01 09:00") == nil)
    }

    @Test("units are converted: TP 185 µg/L is 0.185 mg/L, conductivity 0.742 mS/cm is 742 µS/cm")
    func unitConversion() throws {
        let (_, store) = try ingestSamples()
        let tp = try #require(try value(store, "XYH-04", "tp", local: "2026-10-05 00:00")?.0)
        #expect(tp < 1, "TP stored in mg/L, not µg/L")
        let cond = try #require(try value(store, "LLH-04", "cond", local: "2026-10-05 00:00")?.0)
        #expect(cond > 100, "conductivity stored in µS/cm, not mS/cm")
    }

    @Test("censored lab values keep their detection limit: PLH-01 TP 0.01L, CLH-01 TP ND without one")
    func censoredValues() throws {
        let (_, store) = try ingestSamples()
        var plh01: [(String, Double?, Bool)] = []
        var clh01: [(String, Double?, Bool)] = []
        for entry in try store.ledger() where entry.path.hasSuffix("manual_202610_lab.csv") {
            for row in try store.readings(fromFileWithID: entry.id) {
                if row.pointID == "PLH-01" { plh01.append((row.parameter.code, row.value, row.censored)) }
                if row.pointID == "CLH-01" { clh01.append((row.parameter.code, row.value, row.censored)) }
            }
        }
        #expect(plh01.contains { $0.0 == "tp" && $0.1 == 0.01 && $0.2 })
        #expect(plh01.contains { $0.0 == "nh3n" && $0.1 == 0.025 && $0.2 })
        #expect(plh01.contains { $0.0 == "bod5" && $0.1 == 2 && $0.2 })
        #expect(clh01.contains { $0.0 == "tp" && $0.1 == nil && $0.2 })
    }

    @Test("ingesting the samples twice changes nothing; the second run skips every file")
    func reingest() throws {
        let (_, store) = try ingestSamples()
        let before = try (store.readingCount(), store.ledger().count, store.quarantineCounts().map(\.count))
        let again = try IngestJob(store: store, network: network, options: IngestOptions()).run(paths: [samples])
        #expect(again.totals.skippedFiles == 5)
        #expect(again.totals.accepted == 0)
        let after = try (store.readingCount(), store.ledger().count, store.quarantineCounts().map(\.count))
        #expect(before.0 == after.0 && before.1 == after.1 && before.2 == after.2)
    }
}

@Suite("re-delivered data")
struct RedeliveryTests {
    @Test("a reading delivered again in another file is a duplicate; a changed value is a conflict, not an overwrite")
    func duplicateAndConflict() throws {
        let first = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nM-01,2026-10-08 14:00,do,6.8,mg/L,N\n")
        let (_, store) = try ingestOne(first)
        let second = try scratchFile(longHeader + "M-01,2026-10-08T13:00:00+08:00,do,7.10,mg/L,N\nM-01,2026-10-08 14:00,do,9.9,mg/L,N\n"
                              + "M-01,2026-10-08 15:00,do,7.0,mg/L,N\n", name: "redelivered.csv")
        let (report, _) = try ingestOne(second, store: store)
        #expect(report.accepted == 1)
        #expect(report.duplicates == 1)
        #expect(report.conflicts == 1)
        #expect(try store.readingCount() == 3)
        let conflict = try #require(try store.conflicts().first)
        #expect(conflict.storedValue == 6.8 && conflict.value == 9.9)
    }

    @Test("check judges files exactly as ingest would and writes nothing")
    func checkWritesNothing() throws {
        let store = try ReadingStore.inMemory()
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nXXX,2026-10-08 14:00,do,6.8,mg/L,N\n")
        let report = try IngestJob(store: store, network: fixtureNetwork, options: IngestOptions(), commit: false)
            .run(paths: [path])
        #expect(!report.committed)
        #expect(report.totals.accepted == 1 && report.totals.quarantined == 1)
        #expect(try store.readingCount() == 0)
        #expect(try store.ledger().isEmpty)
        #expect(try store.quarantineCounts().isEmpty)
    }
}

@Suite("files still being written")
struct SettleTests {
    @Test("a file modified within --settle seconds is left for the next run, then read")
    func settle() throws {
        let store = try ReadingStore.inMemory()
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        let early = try IngestJob(store: store, network: fixtureNetwork, options: IngestOptions(), settleSeconds: 600)
            .run(paths: [path])
        #expect(early.totals.unsettledFiles == 1)
        #expect(early.isClean)
        #expect(try store.ledger().isEmpty)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3_600)], ofItemAtPath: path)
        let later = try IngestJob(store: store, network: fixtureNetwork, options: IngestOptions(), settleSeconds: 600)
            .run(paths: [path])
        #expect(later.totals.accepted == 1)
    }
}

@Suite("analysis")
struct AnalysisTests {
    let shanghai = TimeZone.chinaStandard

    @Test("periods: month, quarter, year and day ranges in Beijing time (UTC from Python's calendar.timegm)")
    func periods() throws {
        let month = try #require(PeriodParser.parse("2026-10", timeZone: shanghai))
        #expect(month.start == Date(timeIntervalSince1970: 1_790_784_000) && month.end == Date(timeIntervalSince1970: 1_793_462_400))
        let quarter = try #require(PeriodParser.parse("2026-Q4", timeZone: shanghai))
        #expect(quarter.start == month.start && quarter.end == Date(timeIntervalSince1970: 1_798_732_800))
        let year = try #require(PeriodParser.parse("2026", timeZone: shanghai))
        #expect(year.end == quarter.end)
        let range = try #require(PeriodParser.range(from: "2026-10-01", to: "2026-10-31", timeZone: shanghai))
        #expect(range.start == month.start && range.end == month.end)
        for bad in ["2026-13", "2026-Q5", "26", "2026-10-01", "x"] { #expect(PeriodParser.parse(bad, timeZone: shanghai) == nil, "\(bad)") }
        #expect(PeriodParser.range(from: "2026-10-31", to: "2026-10-01", timeZone: shanghai) == nil)
    }

    @Test("the sample lab sheet: LLH-02 is worse than V with NH3-N its main pollutant; every point is listed")
    func sampleOctober() throws {
        let store = try ReadingStore.inMemory()
        let network = sampleNetwork
        _ = try IngestJob(store: store, network: network, options: IngestOptions())
            .run(paths: [repositoryPath("data/samples/manual_202610_lab.csv")])
        let document = try AnalysisJob(store: store, network: network, timeZone: shanghai)
            .run(period: try #require(PeriodParser.parse("2026-10", timeZone: shanghai)))
        #expect(document.points.count == 33)
        let llh02 = try #require(document.points.first { $0.pointID == "LLH-02" })
        // data/samples/README.md: LLH-02 NH3-N 2.177 mg/L → 2.18 at two decimals → worse than V (limit 2.0);
        // multiple (2.18 − 1) / 1 = 1.18.
        #expect(llh02.waterClass == .worseThanV)
        #expect(llh02.meetsTarget == false)
        let nh3n = try #require(llh02.mainPollutants.first { $0.parameter == .ammoniaNitrogen })
        #expect(nh3n.exceedanceMultiple == 1.18)
        #expect(document.rivers.count == 9)
        #expect(document.schemaVersion == 2)
    }
}

@Suite("folders")
struct FolderTests {
    @Test("files in a folder that are not CSV are named in the report, not read, not silent")
    func ignoredFiles() throws {
        let folder = try scratchFolder("folder")
        try (longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n").write(to: folder.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
        try Data([0xD0, 0xCF, 0x11, 0xE0]).write(to: folder.appendingPathComponent("export.xls"))
        try Data().write(to: folder.appendingPathComponent("upload.csv.part"))
        let report = try IngestJob(store: try ReadingStore.inMemory(), network: fixtureNetwork, options: IngestOptions())
            .run(paths: [folder.path])
        #expect(report.files.count == 1)
        #expect(report.ignoredFiles.map { ($0 as NSString).lastPathComponent } == ["export.xls"])
    }
}

import Foundation
import Ingest
import Pipeline
import RiverModel
import Store
import TestSupport
import Testing

/// Ingests one file into a fresh in-memory store; returns the file's report and the store.
func ingestOne(_ path: String, store: ReadingStore? = nil, network: Network = fixtureNetwork,
               options: IngestOptions = IngestOptions()) throws -> (FileReport, ReadingStore) {
    let store = try store ?? ReadingStore.inMemory()
    let report = try IngestJob(store: store, network: network, options: options).ingest(path: path)
    #expect(report.readingsRead == report.accepted + report.duplicates + report.conflicts + report.quarantined,
            "accepted + duplicates + conflicts + quarantined must equal readings read")
    return (report, store)
}

func quarantined(_ store: ReadingStore) throws -> [QuarantinedRow] {
    var rows: [QuarantinedRow] = []
    try store.quarantinedRows { rows.append($0) }
    return rows
}

let longHeader = "point_id,time,parameter,value,unit,flag\n"

@Suite("bad input gets a clear reason and loses nothing")
struct BadInputTests {
    @Test("each bad long row is quarantined with its line, column and reason", arguments: [
        ("XXX-99,2026-10-08 14:00,do,6.8,mg/L,N", "unknown_point", "point_id", "XXX-99"),
        ("M-01,2026-10-08 14:00,lead_total,0.01,mg/L,N", "unknown_parameter", "parameter", "lead_total"),
        ("M-01,2026-10-08 14:00,nh3n,0.4,furlongs,N", "unknown_unit", "unit", "furlongs"),
        ("M-01,2026-13-45 25:00,do,6.8,mg/L,N", "bad_time", "time", "2026-13-45 25:00"),
        ("M-01,2026-10-08 14:00,cond,abc,µS/cm,N", "bad_value", "value", "abc"),
        ("M-01,2026-10-08 14:00,do,,mg/L,N", "missing_value", "value", "do"),
        ("M-01,2026-10-08 14:00,do,-999,mg/L,N", "sentinel_value", "value", "-999"),
        ("M-01,2026-10-08 14:00,do", "field_count", nil, "3 fields"),
        ("M-01,2026-10-08 14:00,do,6.8,mg/L,N,extra", "field_count", nil, "7 fields"),
    ] as [(String, String, String?, String)])
    func badLongRow(row: String, reason: String, column: String?, mentioned: String) throws {
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n" + row + "\nM-01,2026-10-08 15:00,do,7.0,mg/L,N\n")
        let (report, store) = try ingestOne(path)
        #expect(report.accepted == 2)
        #expect(report.quarantined == 1)
        let rows = try quarantined(store)
        #expect(rows.count == 1)
        #expect(rows.first?.line == 3)
        #expect(rows.first?.reason == reason)
        #expect(rows.first?.column == column)
        #expect(rows.first?.raw == row)
        #expect(rows.first?.message.contains(mentioned) == true)
    }

    @Test("a file's report keeps its first five quarantined rows, with line, column and reason, for check to show")
    func firstRejectedRows() throws {
        // Seven rows of unknown points on lines 2–8: the report keeps lines 2–6.
        let rows = (0..<7).map { "XXX-\($0),2026-10-08 1\($0):00,do,6.8,mg/L,N\n" }.joined()
        let (report, _) = try ingestOne(try scratchFile(longHeader + rows))
        #expect(report.quarantined == 7)
        #expect(report.firstRejected.map(\.line) == [2, 3, 4, 5, 6])
        #expect(report.firstRejected.allSatisfy { $0.reason == "unknown_point" && $0.column == "point_id" })
        #expect(report.firstRejected.first?.message.contains("XXX-0") == true)
    }

    @Test("a wide row: bad cells are quarantined one by one, the good cells of the row are kept")
    func wideCells() throws {
        let path = try scratchFile("断面名称,监测时间,溶解氧(mg/L),氨氮(mg/L),总磷(furlongs),站点情况\n"
                            + "主河上游桥,2026-10-08 14:00,6.5,abc,0.2,正常\n"
                            + "主河上游桥,2026-10-08 15:00,--,0.40,,维护\n")
        let (report, store) = try ingestOne(path)
        // Row 2: do accepted, nh3n bad value, tp unknown unit. Row 3: do missing (not a reading), nh3n accepted.
        #expect(report.readingsRead == 4)
        #expect(report.accepted == 2)
        #expect(report.quarantinedByReason == ["bad_value": 1, "unknown_unit": 1])
        let rows = try quarantined(store)
        #expect(rows.map(\.column) == ["氨氮(mg/L)", "总磷(furlongs)"])
    }

    @Test("a wide row that cannot be attributed counts once")
    func unattributableWideRow() throws {
        let path = try scratchFile("断面名称,监测时间,溶解氧(mg/L),氨氮(mg/L)\n无名桥,2026-10-08 14:00,6.5,0.4\n")
        let (report, store) = try ingestOne(path)
        #expect(report.readingsRead == 1)
        #expect(report.quarantinedByReason == ["unknown_point": 1])
        #expect(try quarantined(store).first?.raw == "无名桥,2026-10-08 14:00,6.5,0.4")
    }

    @Test("an unterminated quote is quarantined with the line it opened on and the text it swallowed")
    func unterminatedQuote() throws {
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nM-01,\"2026-10-08 14:00,do,6.8,mg/L,N\n"
                                   + "M-01,2026-10-08 15:00,do,7.0,mg/L,N\n")
        let (report, store) = try ingestOne(path)
        #expect(report.accepted == 1)
        let rows = try quarantined(store)
        #expect(rows.map(\.reason) == ["unterminated_quote"])
        #expect(rows.first?.line == 3)
        #expect(rows.first?.raw.contains("2026-10-08 15:00") == true)
    }

    @Test("a file truncated mid-row loses only the cut row, which is quarantined")
    func truncated() throws {
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nM-01,2026-10-08 14:00,do,6")
        let (report, store) = try ingestOne(path)
        #expect(report.accepted == 1)
        #expect(try quarantined(store).map(\.reason) == ["field_count"])
    }

    @Test("an empty file and a header-only file are noted, not silently passed")
    func emptyAndHeaderOnly() throws {
        let (empty, _) = try ingestOne(try scratchFile(""))
        #expect(empty.readingsRead == 0)
        #expect(empty.notes == ["empty file: no header and no data"])
        let (headerOnly, _) = try ingestOne(try scratchFile(longHeader))
        #expect(headerOnly.layout == "long")
        #expect(headerOnly.notes == ["header only: no data rows"])
    }

    @Test("binary garbage is one quarantined entry for the whole file")
    func binary() throws {
        var bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        var state: UInt32 = 12_345
        for _ in 0..<4_096 {
            state = state &* 1_103_515_245 &+ 12_345
            bytes.append(UInt8(truncatingIfNeeded: state >> 16))
        }
        let (report, store) = try ingestOne(try scratchFile(bytes))
        #expect(report.readingsRead == 1)
        #expect(report.quarantinedByReason == ["not_text": 1])
        #expect(try quarantined(store).first?.line == 0)
    }

    @Test("a text file that is not a readings table: line 1 is its unrecognised header (a note), lines 2 and 3 are kept as unrecognized_header")
    func notCSV() throws {
        let text = "Dear team,\nplease find attached the October data.\nRegards\n"
        let (report, store) = try ingestOne(try scratchFile(text, name: "mail.txt"))
        #expect(report.layout == nil)
        #expect(report.readingsRead == 2)
        #expect(report.quarantinedByReason == ["unrecognized_header": 2])
        #expect(try quarantined(store).map(\.line) == [2, 3])
        #expect(report.notes.count == 1)
        #expect(report.notes.first?.contains(":1: header not recognised — found Dear team;") == true)
    }

    @Test("a mixed-encoding file: the GBK line is quarantined as bad_encoding, the UTF-8 lines are read")
    func mixedEncoding() throws {
        var bytes = Array("断面名称,监测时间,氨氮(mg/L)\n主河上游桥,2026-10-08 13:00,0.5\n主河下游闸,2026-10-08 13:00,0.6\n".utf8)
        bytes += [214, 247, 186, 211, 201, 207, 211, 206, 199, 197] + Array(",2026-10-08 14:00,0.7\n".utf8)  // 主河上游桥 in GBK
        let (report, store) = try ingestOne(try scratchFile(bytes))
        #expect(report.encoding == "mixed-utf-8")
        #expect(report.accepted == 2)
        let rows = try quarantined(store)
        #expect(rows.map(\.reason) == ["bad_encoding"])
        #expect(rows.first?.line == 4)
    }

    @Test("times without a year take the file name's year, or are rejected with a hint")
    func yearFromFileName() throws {
        let text = "断面名称,监测时间,氨氮(mg/L)\n主河上游桥,10-08 14:00,0.5\n"
        let (withYear, store) = try ingestOne(try scratchFile(text, name: "platform_2026-10-08.csv"))
        #expect(withYear.accepted == 1)
        #expect(try store.coverage().first?.first == Date(timeIntervalSince1970: 1_791_439_200))
        let (without, bare) = try ingestOne(try scratchFile(text, name: "platform.csv"))
        #expect(without.quarantinedByReason == ["missing_year": 1])
        #expect(try quarantined(bare).first?.message.contains("--year") == true)
    }

    @Test("title lines above the header are noted, the data below is read")
    func titleLines() throws {
        let text = "主河自动站数据导出\n导出时间:2026-10-09\n断面名称,监测时间,氨氮(mg/L)\n主河上游桥,2026-10-08 14:00,0.5\n"
        let (report, _) = try ingestOne(try scratchFile(text))
        #expect(report.accepted == 1)
        #expect(report.notes.count == 2)
        #expect(report.notes.first?.hasPrefix("line 1 before the header") == true)
    }
}

@Suite("header details")
struct HeaderDetailTests {
    @Test("a unit in the value column's header applies to rows without a unit: 185 µg/L is 0.185 mg/L")
    func valueHeaderUnit() throws {
        let path = try scratchFile("点位编号,监测时间,监测项目,浓度(μg/L)\nM-01,2026-10-08 14:00,总磷,185\n")
        let (report, store) = try ingestOne(path)
        #expect(report.accepted == 1)
        let entry = try #require(try store.ledger().first)
        let value = try #require(try store.readings(fromFileWithID: entry.id).first?.value)
        #expect(abs(value - 0.185) < 1e-12)
    }

    @Test("the file name's year comes before --year")
    func fileNameYearFirst() throws {
        let text = "断面名称,监测时间,氨氮(mg/L)\n主河上游桥,10-08 14:00,0.5\n"
        var options = IngestOptions()
        options.year = 2025
        let (_, store) = try ingestOne(try scratchFile(text, name: "platform_2026-10-08.csv"), options: options)
        #expect(try store.coverage().first?.first == Date(timeIntervalSince1970: 1_791_439_200))
        let (_, fallback) = try ingestOne(try scratchFile(text, name: "platform.csv"), options: options)
        #expect(try fallback.coverage().first?.first == Date(timeIntervalSince1970: 1_791_439_200 - 365 * 86_400))
    }

    @Test("rows of a file whose header was never found quote the line taken for the header (line 1)")
    func unrecognizedHeaderQuotesTheFile() throws {
        let lines = (1...12).map { "line \($0),of,prose" }.joined(separator: "\n") + "\n"
        let (report, store) = try ingestOne(try scratchFile(lines))
        #expect(report.quarantinedByReason == ["unrecognized_header": 11])
        #expect(try quarantined(store).allSatisfy { $0.message.hasPrefix("header on line 1 not recognised — found line 1, of, prose;") })
    }
}

@Suite("reading a file again")
struct RereadTests {
    @Test("--reread after fixing points.csv: the rejected row is accepted, the old quarantine row goes, nothing doubles")
    func rereadAfterFix() throws {
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nM-09,2026-10-08 13:00,do,6.9,mg/L,N\n")
        let (first, store) = try ingestOne(path)
        #expect(first.quarantinedByReason == ["unknown_point": 1])
        let skipped = try IngestJob(store: store, network: fixtureNetwork, options: IngestOptions()).ingest(path: path)
        #expect(skipped.status == .skipped)
        let fixed = Network(rivers: fixtureNetwork.rivers, points: fixtureNetwork.points + [
            MonitoringPoint("M-09", name: "主河新点", riverID: "MAIN", kilometre: 9)], sources: fixtureNetwork.sources)
        let again = try IngestJob(store: store, network: fixed, options: IngestOptions(), reread: true).ingest(path: path)
        #expect(again.status == .ingested)
        #expect(again.accepted == 1 && again.duplicates == 1 && again.quarantined == 0)
        #expect(try quarantined(store).isEmpty)
        #expect(try store.ledger().count == 1)
        #expect(try store.readingCount() == 2)
    }
}

import Foundation
import Ingest
import Pipeline
import Store
import TestSupport
import Testing

/// Issue 14's corpus of bad files, generated here (none is committed). Every file's rows are accounted for
/// (`ingestOne` checks read = accepted + duplicates + conflicts + quarantined) and each outcome is named.
@Suite("robustness: a corpus of bad files")
struct BadFileCorpusTests {
    let wideHeader = "断面名称,监测时间,氨氮(mg/L),溶解氧(mg/L)\n"

    @Test("a file cut short mid-value is read as it stands, with a note that its last line has no line end")
    func truncatedMidValue() throws {
        // 7.1 cut to 7: nothing in the row itself shows it.
        let (report, _) = try ingestOne(try scratchFile(wideHeader + "主河上游桥,2026-10-08 13:00,0.52,7.1\n"
                                                        + "主河上游桥,2026-10-08 14:00,0.5,7"))
        #expect(report.accepted == 4)
        #expect(report.notes == ["the last line has no line end: if the file was cut short, check its last row (it was read as it stands)"])
    }

    @Test("a file ending with its line end gets no such note")
    func completeFile() throws {
        let (report, _) = try ingestOne(try scratchFile(wideHeader + "主河上游桥,2026-10-08 13:00,0.52,7.1\n"))
        #expect(report.notes.isEmpty)
    }

    @Test("a GBK file with a UTF-8-sounding name is read as GB18030 by its bytes")
    func gbkMislabelled() throws {
        // "断面名称,监测时间,氨氮(mg/L)\r\n主河上游桥,2026-10-08 14:00,0.52\r\n".encode("gbk") (Python).
        let bytes: [UInt8] = [182, 207, 195, 230, 195, 251, 179, 198, 44, 188, 224, 178, 226, 202, 177, 188, 228, 44,
                              176, 177, 181, 170, 40, 109, 103, 47, 76, 41, 13, 10, 214, 247, 186, 211, 201, 207, 211, 206,
                              199, 197, 44, 50, 48, 50, 54, 45, 49, 48, 45, 48, 56, 32, 49, 52, 58, 48, 48, 44, 48, 46,
                              53, 50, 13, 10]
        let (report, store) = try ingestOne(try scratchFile(bytes, name: "export_utf8.csv"))
        #expect(report.encoding == "gb18030")
        #expect(report.accepted == 1)
        #expect(try store.coverage().first?.pointID == "M-01")
    }

    @Test("stray bytes that are not UTF-8 in one line: that line is quarantined as bad_encoding, the others are read")
    func invalidUTF8() throws {
        var bytes = Array((wideHeader + "主河上游桥,2026-10-08 13:00,0.52,7.1\n").utf8)
        bytes += Array("主河上游桥,2026-10-08 14:00,0.5".utf8) + [0xFF, 0xC0] + Array(",7.0\n".utf8)
        bytes += Array("主河下游闸,2026-10-08 14:00,0.6,6.9\n".utf8)
        let (report, store) = try ingestOne(try scratchFile(bytes))
        #expect(report.accepted == 4)
        #expect(try quarantined(store).map(\.reason) == ["bad_encoding"])
        #expect(try quarantined(store).map(\.line) == [3])
    }

    @Test("100,000 columns: the known ones are read, the others ignored; a header of 100,000 unknown names is not recognised")
    func hundredThousandColumns() throws {
        let extra = (0..<100_000).map { "x\($0)" }
        let wide = "point_id,time,do," + extra.joined(separator: ",") + "\nM-01,2026-10-08 13:00,7.1"
            + String(repeating: ",1", count: 100_000) + "\n"
        let (report, _) = try ingestOne(try scratchFile(wide))
        #expect(report.accepted == 1)
        #expect(report.ignoredColumns.count == 100_000)
        let junk = (0..<100_000).map { "c\($0)" }.joined(separator: ",") + "\n"
            + Array(repeating: "1", count: 100_000).joined(separator: ",") + "\n"
        let (unknown, _) = try ingestOne(try scratchFile(junk))
        #expect(unknown.quarantinedByReason == ["unrecognized_header": 1])
    }

    @Test("two exports joined with cat: the second header (after its BOM) is skipped with a note, every reading is read")
    func byteOrderMarkInTheMiddle() throws {
        let bom = "\u{FEFF}"
        let part = wideHeader + "主河上游桥,2026-10-08 13:00,0.52,7.1\n"
        let (report, store) = try ingestOne(try scratchFile(bom + part + bom + part.replacingOccurrences(of: "13:00", with: "14:00")))
        #expect(report.accepted == 4)
        #expect(report.quarantined == 0)
        #expect(report.notes == ["line 3 repeats the header (files joined together?): skipped"])
        #expect(try quarantined(store).isEmpty)
    }

    @Test("a few NUL bytes damage their line only (quarantined, bad_encoding, byte named); a file mostly NULs is binary")
    func nulBytes() throws {
        var bytes = Array((wideHeader + "主河上游桥,2026-10-08 13:00,0.52,7.1\n").utf8)
        bytes += Array("主河上游桥,2026-10-08 14:00,0.".utf8) + [0, 0] + Array("5,7.0\n".utf8)
        for hour in 0..<10 { bytes += Array("主河下游闸,2026-10-08 1\(hour):00,0.6,6.9\n".utf8) }  // 2 NULs in 600 bytes
        let (report, store) = try ingestOne(try scratchFile(bytes))
        #expect(report.accepted == 22)
        let row = try #require(try quarantined(store).first)
        #expect(row.reason == "bad_encoding" && row.line == 3)
        #expect(row.message == "line holds the control byte 0x00 (NUL): the file is damaged here; the row is not read")

        let (binary, _) = try ingestOne(try scratchFile(Array(wideHeader.utf8) + [UInt8](repeating: 0, count: 4_096)))
        #expect(binary.quarantinedByReason == ["not_text": 1])
    }

    @Test("an escape sequence in a cell is a damaged line, not a reading")
    func escapeSequence() throws {
        let (report, store) = try ingestOne(try scratchFile(wideHeader + "主河上游桥\u{1B}[2J,2026-10-08 13:00,0.52,7.1\n"))
        #expect(report.accepted == 0)
        #expect(try quarantined(store).first?.message.hasPrefix("line holds the control byte 0x1B (not text)") == true)
    }

    @Test("a header alone, blank lines alone and an empty file are each noted, with no reading")
    func nothingToRead() throws {
        #expect(try ingestOne(try scratchFile(wideHeader)).0.notes == ["header only: no data rows"])
        #expect(try ingestOne(try scratchFile("\n\n\r\n")).0.notes == ["no rows: the file holds only blank lines"])
        #expect(try ingestOne(try scratchFile("")).0.notes == ["empty file: no header and no data"])
    }

    @Test("a UTF-16 file cut in the middle of a character keeps its whole rows")
    func utf16CutMidCharacter() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in (wideHeader + "主河上游桥,2026-10-08 13:00,0.52,7.1\n主河下游闸,2026-10-08 13:00,0.6,6.9\n").utf16 {
            bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        bytes.removeLast(3)  // the last line end and half of the character before it
        let (report, store) = try ingestOne(try scratchFile(bytes))
        #expect(report.encoding == "utf-16le")
        #expect(try store.readingCount() >= 2)
        #expect(report.readingsRead == 4)
    }
}

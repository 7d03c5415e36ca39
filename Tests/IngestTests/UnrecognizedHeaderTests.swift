import CSV
import Foundation
@testable import Ingest
import RiverModel
import TestSupport
import Testing

/// What parsing one small file gave: its summary, its rejections, no readings expected to matter.
private struct Parsed {
    var summary: ParseSummary
    var rejections: [Rejection]
    var readings: [Reading]

    /// The first rejection's unrecognised header; fails the test when the first rejection is something else.
    func unrecognizedHeader() throws -> UnrecognizedHeader {
        guard case .unrecognizedHeader(let header) = rejections.first?.reason else {
            throw HeaderExpected(rejections: rejections)
        }
        return header
    }
}

private struct HeaderExpected: Error, CustomStringConvertible {
    let rejections: [Rejection]
    var description: String { "expected unrecognized_header, got \(rejections)" }
}

/// Writes `text` to a fresh file named `name` and parses it as ingest would.
private func parse(_ text: String, name: String = "a.csv") throws -> (path: String, parsed: Parsed) {
    let path = try scratchFile(text, name: name)
    var rejections: [Rejection] = []
    var readings: [Reading] = []
    let summary = try ReadingsParser(network: fixtureNetwork, options: IngestOptions())
        .parse(path: path, sniff: try FileSniffer.sniff(path: path),
               onReading: { readings.append($0) }, onRejection: { rejections.append($0) })
    return (path, Parsed(summary: summary, rejections: rejections, readings: readings))
}

@Suite("a header that is not recognised")
struct UnrecognizedHeaderTests {
    @Test("a long header without a time column and with its value column misspelt names time and value, with spellings")
    func missingTimeAndValue() throws {
        let (path, parsed) = try parse("point_id,parameter,val\nM-01,nh3n,0.5\n")
        // Written by hand from the role tables of docs/formats.md §2.3.
        let explanation = "found point_id, parameter, val; "
            + "a long-layout file needs a time column (time, 监测时间, 采样时间, …) and a value column (value, 监测值, 浓度, …); "
            + "a wide one needs a time column and at least one parameter column (氨氮(mg/L), nh3n, 总磷, …)"
        #expect(parsed.summary.notes == ["\(path):1: header not recognised — \(explanation)"])
        #expect(parsed.rejections.map(\.reason.message) == ["header on line 1 not recognised — \(explanation)"])
    }

    @Test("a header with a point and a time but nothing to read names the parameter-name and value columns")
    func missingValue() throws {
        let (_, parsed) = try parse("point_id,time\nM-01,2026-09-01 10:00\n")
        let message = try #require(parsed.rejections.first?.reason.message)
        #expect(message == "header on line 1 not recognised — found point_id, time; "
                + "a long-layout file needs a parameter-name column (parameter, 监测项目, 项目, …) "
                + "and a value column (value, 监测值, 浓度, …); "
                + "a wide one needs at least one parameter column (氨氮(mg/L), nh3n, 总磷, …)")
    }

    @Test("a long header whose only fault is the value column says a value column is missing")
    func onlyValueMissing() throws {
        let (_, parsed) = try parse("断面名称,监测时间,监测项目,测量值\n主河上游桥,2026-09-01 10:00,氨氮,0.5\n")
        let header = try parsed.unrecognizedHeader()
        #expect(header.missingForLong.map(\.role) == [.value])
        #expect(header.missingForWide.map(\.role) == [.parameter])
        #expect(header.explanation.contains("a value column (value, 监测值, 浓度, …)"))
    }

    @Test("a point column is asked for when there is none")
    func missingPoint() throws {
        let (_, parsed) = try parse("where,time,氨氮\nM-01,2026-09-01 10:00,0.5\n")
        let header = try parsed.unrecognizedHeader()
        #expect(header.missingForLong.map(\.role) == [.point, .parameterName, .value])
        #expect(header.missingForWide.map(\.role) == [.point])
        #expect(header.explanation.hasSuffix("a wide one needs a point column"))
    }

    @Test("a two-line file with a bad header offers 1 reading, quarantined, not 2; the header is a note")
    func headerIsNotAReading() throws {
        let (_, parsed) = try parse("point_id,parameter,val\nM-01,nh3n,0.5\n")
        #expect(parsed.summary.candidates == 1)
        #expect(parsed.summary.rejected == 1)
        #expect(parsed.summary.records == 1)
        #expect(parsed.summary.layout == nil)
        #expect(parsed.rejections.map(\.line) == [2])
        #expect(parsed.rejections.map(\.reason.code) == ["unrecognized_header"])
        #expect(parsed.rejections.map(\.raw) == ["M-01,nh3n,0.5"])
        #expect(parsed.summary.notes.count == 1)
    }

    @Test("the header line is kept for the file, so its rows can be exported, corrected and ingested again")
    func headerLineKept() throws {
        let (_, parsed) = try parse("point_id,parameter,val\nM-01,nh3n,0.5\n")
        #expect(parsed.summary.header == "point_id,parameter,val")
    }

    @Test("a bad header with no data rows offers no reading and is still reported")
    func headerOnly() throws {
        let (path, parsed) = try parse("point_id,parameter,val\n")
        #expect(parsed.summary.candidates == 0)
        #expect(parsed.rejections.isEmpty)
        #expect(parsed.summary.notes.count == 1)
        #expect(parsed.summary.notes.first?.hasPrefix("\(path):1: header not recognised — found point_id, parameter, val;") == true)
    }

    @Test("a title line above a bad header is skipped; the line most like a header is named")
    func titleAboveBadHeader() throws {
        let (path, parsed) = try parse("主河自动站数据导出\n断面名称,监测时间,测量值\n主河上游桥,2026-09-01 10:00,0.5\n")
        #expect(parsed.summary.notes.count == 2)
        #expect(parsed.summary.notes.first == "line 1 before the header skipped: 主河自动站数据导出")
        #expect(parsed.summary.notes.last?.hasPrefix("\(path):2: header not recognised — found 断面名称, 监测时间, 测量值;") == true)
        #expect(parsed.rejections.map(\.line) == [3])
        #expect(parsed.summary.candidates == 1)
    }

    @Test("when the search gives up after 11 rows, the first is the header and every row below is quarantined")
    func givingUp() throws {
        let text = (1...14).map { "line \($0),of,prose" }.joined(separator: "\n") + "\n"
        let (path, parsed) = try parse(text)
        #expect(parsed.rejections.map(\.line) == Array(2...14))
        #expect(parsed.summary.candidates == 13)
        #expect(parsed.summary.notes.count == 1)
        #expect(parsed.summary.notes.first?.hasPrefix("\(path):1: header not recognised — found line 1, of, prose;") == true)
        #expect(parsed.rejections.allSatisfy { $0.reason.message.hasPrefix("header on line 1 not recognised") })
    }
}

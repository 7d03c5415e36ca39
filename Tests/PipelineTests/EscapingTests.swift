import CSV
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Pipeline
import RiverModel
import Standards
import Store
import TestSupport
import Testing

/// Every file under `folder`, by path relative to it (folders left out).
private func filesUnder(_ folder: URL) -> [String] {
    let root = folder.path + "/"
    return (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).filter { relative in
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: root + relative, isDirectory: &isFolder) && !isFolder.boolValue
    }.sorted()
}

/// Issue 14.7: ids and names from users' files become file names, Markdown, SVG, spreadsheet cells and terminal
/// text. Each test names what it tries to break.
@Suite("escaping: user text in paths, reports, spreadsheets and terminals")
struct EscapingTests {
    let network = fixtureNetworkPath
    let zone = TimeZone.chinaStandard
    /// Accepted rows around a bad one, so that its control bytes stay under the 1 % that makes a file binary.
    let goodRows = (10..<16).map { "M-01,2026-10-08 \($0):00,do,7.1,mg/L,N\n" }.joined()

    /// Rivers and stations whose ids climb out of the folder or nest into it, one id of 300 bytes, and names made
    /// of markup. The network loader refuses such ids; a store saved by an older version may still hold them.
    let hostile = Network(
        rivers: [River("../evil", name: "<script>alert(1)</script>|主\n河](javascript:x)", targetClass: .iii),
                 River(String(repeating: "长", count: 100), name: "支|河", flowsInto: "../evil", confluenceKilometres: 4,
                       lengthKilometres: 3, velocityMetresPerSecond: 0.2, targetClass: .iii)],
        points: [MonitoringPoint("../../escaped", name: "<b>点</b>\n| 2 |", riverID: "../evil", kilometre: 1, kind: .automatic),
                 MonitoringPoint("x/y", name: "](x)", riverID: "../evil", kilometre: 6, kind: .automatic)],
        sources: [])

    @Test("a report of ids with ../, / and 300 bytes writes only inside --out, under escaped names, and leaves no .part")
    func reportStaysInside() throws {
        let folder = try scratchFolder("escape-report")
        let out = folder.appendingPathComponent("out")
        let rows = (0..<24).map { hour in
            "../../escaped,2026-10-08 \(String(format: "%02d", hour)):00,nh3n,0.5,mg/L,N\nx/y,2026-10-08 \(String(format: "%02d", hour)):00,nh3n,0.6,mg/L,N\n"
        }.joined()
        let (_, store) = try ingestOne(try scratchFile(longHeader + rows), network: hostile)
        let period = try #require(PeriodParser.parse("2026-10", timeZone: zone))
        _ = try ReportJob(store: store, network: hostile, timeZone: zone).run(period: period, language: .zh, into: out.path)

        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out"])
        let written = filesUnder(out)
        #expect(written.contains("rivers/%2E.%2Fevil.md"))
        #expect(written.contains("rivers/%2E.%2F..%2Fescaped-series-nh3n.svg"))
        #expect(written.contains("rivers/x%2Fy-series-nh3n.svg"))
        #expect(written.contains { $0.hasPrefix("rivers/" + String(repeating: "长", count: 37) + "~") && $0.hasSuffix(".md") })
        #expect(!written.contains { $0.hasSuffix(".part") }, "\(written)")
        let report = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(report.contains(#"\<script\>alert\(1\)\</script\>\|主\\u\{0A\}河\]\(javascript:x\)"#))
        #expect(report.contains("](rivers/%252E.%252Fevil.md)"))
        for path in written where path.hasSuffix(".svg") {
            let data = try Data(contentsOf: out.appendingPathComponent(path))
            let parser = XMLParser(data: data)
            #expect(parser.parse(), "\(path): \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(!String(decoding: data, as: UTF8.self).contains("<script"), "\(path)")
        }
    }

    @Test("a file that cannot be written: a clear error with the path and the reason, no .part left, no half report")
    func writeFailureCleansUp() throws {
        let out = try scratchFolder("escape-fail")
        // A folder where the river page's temporary file must go: opening it for writing fails (EISDIR), after
        // network.svg and report.md were staged.
        let blocker = out.appendingPathComponent("rivers/MAIN.md.part")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)
        let period = try #require(PeriodParser.parse("2026-10", timeZone: zone))
        let job = ReportJob(store: try ReadingStore.inMemory(), network: fixtureNetwork, timeZone: zone)
        let error = try #require(throws: PathError.self) { try job.run(period: period, language: .zh, into: out.path) }
        #expect(error.path == out.appendingPathComponent("rivers/MAIN.md").path)
        #expect(error.message == "cannot write the report file: Is a directory")
        #expect(filesUnder(out).isEmpty, "\(filesUnder(out))")
    }

    @Test("a network file with an id that climbs out and a name with ESC: exit 1, file, line and rule named, nothing raw")
    func hostileNetworkRefused() throws {
        let folder = try scratchFolder("escape-network")
        try ("river_id,name,flows_into,confluence_km,length_km,velocity_m_s,target_class\n../evil,主河,,,5,0.3,III\n"
             + "MAIN,主\u{1B}[2J河,,,10,0.3,IV\nTRIB,支河,MAIN,4,3,0.2,III\n")
            .write(to: folder.appendingPathComponent("rivers.csv"), atomically: true, encoding: .utf8)
        try "point_id,name,river_id,km,lat,lon,target_class,kind\n"
            .write(to: folder.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)
        let result = try rivertrace(["check", "--store", folder.appendingPathComponent("s.sqlite").path,
                                     "--network", folder.path, try scratchFile(longHeader)])
        #expect(result.status == 1)
        #expect(result.err.contains(#"rivers.csv:2 [river_id]: id "../evil" contains "/": ids may not contain / or \ (they would make file paths) (the id rule, docs/formats.md §1.7)"#))
        #expect(result.err.contains("rivers.csv:3 [name]: contains the control character U+001B"))
        #expect(!result.err.contains("\u{1B}"))
    }

    @Test("quarantine --csv puts ' before cells a spreadsheet would run as a formula; --raw keeps the rows as they stood")
    func spreadsheetGuard() throws {
        let folder = try scratchFolder("escape-csv")
        let store = folder.appendingPathComponent("store.sqlite").path
        let formula = "=SUM(A1:A9)*10,2026-10-08 13:00,do,7.1,mg/L,N"
        let minus = "-2+3,2026-10-08 13:00,do,7.1,mg/L,N"
        let path = try scratchFile(longHeader + formula + "\n" + minus + "\n", name: "formula.csv")
        _ = try rivertrace(["ingest", "--store", store, "--network", network, path])

        let listing = try rivertrace(["quarantine", "--csv", "--store", store, "--network", network])
        #expect(listing.status == 0)
        var records: [[String]] = []
        try CSVReader(path: try scratchFile(listing.out)).forEachRecord { records.append($0.fields) }
        #expect(records.count == 3)
        #expect(records.map { $0.last } == ["raw", "'" + formula, "'" + minus])
        #expect(records.dropFirst().allSatisfy { $0[1] == "2" || $0[1] == "3" }, "line numbers stay numbers")

        let raw = try rivertrace(["quarantine", "--raw", "--file", "formula.csv", "--store", store, "--network", network])
        #expect(raw.out == longHeader + formula + "\n" + minus + "\n")
    }

    @Test("quarantine's listing shows a cell's escape sequence as \\u{1B}, never raw")
    func quarantineListing() throws {
        let folder = try scratchFolder("escape-terminal")
        let store = folder.appendingPathComponent("store.sqlite").path
        let path = try scratchFile(longHeader + "M-01\u{1B}]0;owned\u{1B}\\,2026-10-08 13:00,do,7.1,mg/L,N\n" + goodRows)
        _ = try rivertrace(["ingest", "--store", store, "--network", network, path])
        let listing = try rivertrace(["quarantine", "--store", store, "--network", network])
        #expect(!listing.out.contains("\u{1B}"))
        #expect(listing.out.contains(#"M-01\u{1B}]0;owned\u{1B}\,2026-10-08 13:00"#))
    }

    @Test("check shows an escape sequence in a file's name and cells as \\u{1B}, never raw")
    func checkOutput() throws {
        let path = try scratchFile(longHeader + "M-01\u{1B}[2J,2026-10-08 13:00,do,7.1,mg/L,N\n" + goodRows, name: "export\u{1B}[2J.csv")
        let result = try rivertrace(["check", "--store", try scratchPath("s"),
                                     "--network", network, path])
        #expect(result.status == 3)
        #expect(!result.out.contains("\u{1B}"))
        #expect(result.out.contains(#"export\u{1B}[2J.csv:2"#))
    }

    @Test("analyze and status show names and ids of a network saved by an older version with their controls escaped")
    func savedNetworkText() throws {
        let folder = try scratchFolder("escape-saved")
        let path = folder.appendingPathComponent("store.sqlite").path
        let network = Network(
            rivers: [River("R\u{1B}[31m", name: "河\u{1B}]0;owned\u{07}", lengthKilometres: 5, targetClass: .iii)],
            points: [MonitoringPoint("P\u{9B}2J", name: "点\r覆盖", riverID: "R\u{1B}[31m", kilometre: 1)],
            sources: [])
        try ReadingStore(path: path).saveNetwork(network)
        let missing = folder.appendingPathComponent("no-network").path
        let analyze = try rivertrace(["analyze", "--period", "2026-10", "--store", path, "--network", missing])
        #expect(analyze.status == 3, "no readings: partial data, exit 3 — \(analyze.err)")
        #expect(analyze.out.contains(#"R\u{1B}[31m 河\u{1B}]0;owned\u{07}"#))
        #expect(analyze.out.contains(#"P\u{9B}2J 点\u{0D}覆盖"#))
        let status = try rivertrace(["status", "--store", path, "--network", missing])
        #expect(status.out.contains(#"points with no readings: P\u{9B}2J"#))
        for text in [analyze.out, analyze.err, status.out, status.err] {
            #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x0D })
        }
    }
}

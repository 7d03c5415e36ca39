import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Report
import RiverModel
import Standards
import Statistics
import TestSupport
import Testing
import Trace

/// A network whose ids and names try to break out: of the report folder (`../`, `/`, `..`, 300 bytes), of Markdown
/// tables and links (`|`, line breaks, `](`), into HTML (`<script>`) and the terminal (ESC). The loader refuses most
/// of them; a store saved by an older version, or a library caller, may still hand them to the report.
private let main = "../evil"
private let tributary = "a/b"
private let station = "P|1\u{1B}[2J"
private let downstream = ".."
private let longID = String(repeating: "长", count: 100)
private let source = "S<1>"

private let network = Network(
    rivers: [River(main, name: "<script>alert(1)</script>|主\n# 河](javascript:x)", targetClass: .iii),
             River(tributary, name: "支|河\r\n![i](http://x)", flowsInto: main, confluenceKilometres: 4, lengthKilometres: 3,
                   velocityMetresPerSecond: 0.2, targetClass: .iii)],
    points: [MonitoringPoint(station, name: "<b>点</b>\n| 2 |", riverID: main, kilometre: 1, kind: .automatic),
             MonitoringPoint(downstream, name: "](x)", riverID: main, kilometre: 6, kind: .automatic),
             MonitoringPoint(longID, name: "长点", riverID: tributary, kilometre: 1)],
    sources: [RegisteredSource(id: source, name: "厂|\n<img src=x onerror=alert(1)>", kind: "outfall\n|", riverID: main,
                               kilometre: 3, signature: .industrial)])

private func json(_ text: String) -> String {
    String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
}

private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(type, from: Data(text.utf8))
}

private func point(_ id: String, river: String) -> PointResult {
    PointResult(pointID: id, riverID: river, targetClass: .iii, waterClass: .v, grade: .moderatelyPolluted, meetsTarget: false,
                mainPollutants: [MainPollutant(parameter: .ammoniaNitrogen, exceedanceMultiple: 0.85)], completeness: 1, insufficient: [],
                parameters: [])
}

private func hostileFiles() throws -> [String: String] {
    let start = october2026.start
    var document = emptyOctoberDocument()
    document.points = [point(station, river: main), point(downstream, river: main), point(longID, river: tributary)]
    document.rivers = [main, tributary].map {
        GroupResult(id: $0, sections: 1, shareGood: 0, shareWorseThanV: 0, grade: .moderatelyPolluted, method: .mean,
                    waterClass: .v, mainPollutants: [.ammoniaNitrogen])
    }
    document.exceedances = [ExceedanceEpisode(pointID: station, parameter: .ammoniaNitrogen, targetClass: .iii, limit: 1,
                                              start: start, end: start.addingTimeInterval(7_200), peak: 2, readings: 3)]
    document.events = [try decode(AnomalyEvent.self, """
        {"point_id": \(json(downstream)), "start": "2026-10-05T02:00:00Z", "end": "2026-10-05T06:00:00Z",
         "peak_time": "2026-10-05T04:00:00Z", "parameters": [{"parameter": "cond", "direction": "rose", "peak": 760,
         "baseline": 600, "increment": 160, "score": 9.1, "peak_time": "2026-10-05T04:00:00Z"}]}
        """)]
    document.traces = [try decode(TraceResult.self, """
        {"point_id": \(json(downstream)), "event_start": "2026-10-05T02:00:00Z", "peak_time": "2026-10-05T04:00:00Z",
         "verdict": "source", "rose": ["cond"], "fell": [],
         "suspect_segment": {"river_id": \(json(main)), "from_point_id": \(json(station)), "to_point_id": \(json(downstream)),
                             "from_km": 1, "to_km": 6},
         "alternative_segments": [],
         "candidates": [{"source_id": \(json(source)), "score": 0.8, "reasons": ["fits"], "place": "suspect_stretch",
                         "signature_fit": 0.8}],
         "confidence": 0.7,
         "evidence": [{"point_id": \(json(downstream)), "role": "event", "parameter": "cond", "nominal_lag_hours": 0,
                       "lag_hours": 0, "window_start": "2026-10-05T02:00:00Z", "window_end": "2026-10-05T06:00:00Z",
                       "baseline": 600, "observed": 760, "score": 9.1},
                      {"point_id": \(json(station)), "role": "affected", "parameter": "cond", "nominal_lag_hours": 4.6,
                       "lag_hours": 4.6, "window_start": "2026-10-04T19:00:00Z", "window_end": "2026-10-05T06:00:00Z",
                       "baseline": 590, "observed": 700, "score": 5}],
         "walked": [\(json(downstream)), \(json(station))]}
        """)]
    let hours = (0..<48).map { start.addingTimeInterval(Double($0) * 3_600) }
    let trace = (0..<96).map { october2026.start.addingTimeInterval(3 * 86_400 + Double($0) * 1_800) }
    var input = ReportInput(document: document, previous: nil, network: network,
                            series: [station: [.ammoniaNitrogen: ChartSeries(hours.map { ($0, 1.5) }, period: october2026)]],
                            quarantine: [], timeZone: TimeZone.chinaStandard, generatedAt: october2026.end)
    input.traceSeries = [downstream: [.conductivity: trace.map { ($0, 600) }], station: [.conductivity: trace.map { ($0, 590) }]]
    return ReportWriter(input: input, language: .zh).files()
}

/// Pipes that are not escaped by a backslash.
private func columns(_ row: Substring) -> Int {
    var count = 0
    var escaped = false
    for character in row {
        if character == "|" && !escaped { count += 1 }
        escaped = character == "\\" && !escaped
    }
    return count
}

@Suite("a report of hostile names and ids")
struct HostileNamesTests {
    @Test("every file stays in the report folder, rivers/ or traces/, with a name that does not begin with a dot")
    func pathsStayInside() throws {
        let files = try hostileFiles()
        #expect(files["rivers/%2E.%2Fevil.md"] != nil)
        #expect(files["rivers/a%2Fb.md"] != nil)
        #expect(files["rivers/P%7C1%1B%5B2J-series-nh3n.svg"] != nil)
        #expect(files["traces/%2E.-20261005-1000.md"] != nil)
        for path in files.keys {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            #expect(parts.count == 1 || (parts.count == 2 && ["rivers", "traces"].contains(parts[0])), "\(path)")
            #expect(!parts.contains { $0.isEmpty || $0.hasPrefix(".") }, "\(path)")
            #expect(parts.last!.utf8.count < 200, "\(path)")
        }
    }

    @Test("Markdown links reach the files by their percent-encoded names")
    func links() throws {
        let files = try hostileFiles()
        #expect(files["report.md"]?.contains("](rivers/%252E.%252Fevil.md)") == true)
        #expect(files["report.md"]?.contains("](traces/%252E.-20261005-1000.md)") == true)
        #expect(files["rivers/%2E.%2Fevil.md"]?.contains("](P%257C1%251B%255B2J-series-nh3n.svg)") == true)
        #expect(files["rivers/%2E.%2Fevil.md"]?.contains("](%252E.%252Fevil-profile-nh3n.svg)") == true)
    }

    @Test("no name opens a tag, a link or a heading, and every table row keeps its header's columns")
    func markdownHolds() throws {
        for (path, content) in try hostileFiles() where path.hasSuffix(".md") {
            #expect(content.range(of: #"(?<!\\)<[A-Za-z/!?]"#, options: .regularExpression) == nil, "\(path): a raw tag")
            #expect(!content.contains("](javascript") && !content.contains("](x)") && !content.contains("](http://x)"), "\(path)")
            #expect(!content.contains("\u{1B}") && !content.contains("\r"), "\(path)")
            var header: Int?
            for line in content.split(separator: "\n", omittingEmptySubsequences: false) {
                #expect(!line.hasPrefix("# 河") && !line.hasPrefix("| 2 |"), "\(path): a name broke the line: \(line)")
                guard line.hasPrefix("|") else {
                    header = nil
                    continue
                }
                if let header {
                    #expect(columns(line) == header, "\(path): \(line)")
                } else {
                    header = columns(line)
                }
            }
        }
    }

    @Test("the hostile names appear escaped in the Markdown")
    func escapedForms() throws {
        let report = try #require(try hostileFiles()["report.md"])
        #expect(report.contains(##"\<script\>alert\(1\)\</script\>\|主\\u\{0A\}\# 河\]\(javascript:x\)"##))
        #expect(report.contains(#"P\|1\\u\{1B\}\[2J \<b\>点\</b\>\\u\{0A\}\| 2 \|"#))
    }

    @Test("every SVG parses as XML and carries the names as escaped text, never as markup")
    func svgHolds() throws {
        let files = try hostileFiles()
        let svgs = files.filter { $0.key.hasSuffix(".svg") }
        #expect(svgs.count >= 10)
        for (path, content) in svgs {
            let parser = XMLParser(data: Data(content.utf8))
            #expect(parser.parse(), "\(path): \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(!content.contains("<script") && !content.contains("<b>") && !content.contains("\u{1B}"), "\(path)")
        }
        #expect(files["network.svg"]?.contains("&lt;script&gt;alert(1)&lt;/script&gt;|主\\u{0A}# 河](javascript:x)") == true)
    }
}

import Foundation
import Report
import RiverModel
import Standards
import Statistics
import TestSupport
import Testing
import Trace

// A river M (10 km at 0.3 m/s) with stations at km 1 (31.00 N, 120.00 E) and km 6 (31.05 N, 120.10 E); S1 at km 3 has no
// coordinates of its own (placed 2/5 of the way: 31.02 N, 120.04 E), S0 was surveyed.
private let network = Network(
    rivers: [River("M", name: "主河", targetClass: .iv)],
    points: [MonitoringPoint(id: "M-01", name: "上游站", riverID: "M", kilometre: 1, latitude: 31.0, longitude: 120.0,
                             ownTargetClass: nil, kind: .automatic),
             MonitoringPoint(id: "M-02", name: "下游站", riverID: "M", kilometre: 6, latitude: 31.05, longitude: 120.1,
                             ownTargetClass: nil, kind: .automatic)],
    sources: [RegisteredSource(id: "S1", name: "某电镀厂 \"甲\" \\ </script><img src=x>", kind: "enterprise", riverID: "M",
                               kilometre: 3, signature: .industrial),
              RegisteredSource(id: "S0", name: "上游小区排口", kind: "outfall", riverID: "M", kilometre: 0.5, signature: .domestic,
                               latitude: 30.99, longitude: 119.99)])

/// A source trace at M-02 whose event began at `start` (UTC; 02:00 UTC is 10:00 in Asia/Shanghai).
private func trace(_ start: String, confidence: Double) throws -> TraceResult {
    try decode(TraceResult.self, """
        {"point_id": "M-02", "event_start": "\(start)", "peak_time": "\(start)", "verdict": "source", "rose": ["cond", "codmn"],
         "fell": [], "suspect_segment": {"river_id": "M", "from_point_id": "M-01", "to_point_id": "M-02", "from_km": 1, "to_km": 6},
         "alternative_segments": [],
         "candidates": [{"source_id": "S1", "score": 0.82, "reasons": [], "place": "suspect_stretch", "signature_fit": 0.82},
                        {"score": 0.15, "reasons": []},
                        {"source_id": "S0", "score": 0.12, "reasons": [], "place": "above_clean_station", "signature_fit": 0.4}],
         "confidence": \(confidence),
         "evidence": [{"point_id": "M-02", "role": "event", "parameter": "cond", "nominal_lag_hours": 0, "lag_hours": 0,
                       "window_start": "\(start)", "window_end": "\(start)", "baseline": 600, "observed": 760, "score": 9.1}],
         "walked": ["M-02"]}
        """)
}

private func event(_ start: String, end: String) throws -> AnomalyEvent {
    try decode(AnomalyEvent.self, """
        {"point_id": "M-02", "start": "\(start)", "end": "\(end)", "peak_time": "\(start)",
         "parameters": [{"parameter": "cond", "direction": "rose", "peak": 760, "baseline": 600, "increment": 160, "score": 9.1,
                         "peak_time": "\(start)"}]}
        """)
}

private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(type, from: Data(text.utf8))
}

/// The report of two events at M-02 a day apart on one stretch (one incident), travel times 1.2 × the configured ones.
private func files(_ language: ReportLanguage = .en) throws -> [String: String] {
    var document = emptyOctoberDocument()
    document.events = [try event("2026-10-05T02:00:00Z", end: "2026-10-05T06:00:00Z"),
                       try event("2026-10-06T02:00:00Z", end: "2026-10-06T05:00:00Z")]
    document.traces = [try trace("2026-10-05T02:00:00Z", confidence: 0.77), try trace("2026-10-06T02:00:00Z", confidence: 0.65)]
    document.travelTimes = try decode(LearnedTravelTimes.self, #"{"network_factor": 1.2, "rivers": [], "observations": []}"#)
    let input = ReportInput(document: document, previous: nil, network: network, series: [:], quarantine: [],
                            timeZone: TimeZone.chinaStandard, generatedAt: october2026.end)
    return ReportWriter(input: input, language: language).files()
}

private let page = "traces/M-02-20261005-1000.md"

@Suite("field-ready trace-back reports and GeoJSON")
struct FieldTraceTests {
    @Test("an incident of two events gets one report that lists both, the lead marked")
    func oneReportPerIncident() throws {
        let all = try files()
        #expect(all.keys.filter { $0.hasPrefix("traces/") && $0.hasSuffix(".md") } == [page])
        let report = try #require(all[page])
        #expect(report.contains("This incident is 2 anomaly events at one point, 2026-10-05 10:00 to 2026-10-06 13:00"))
        #expect(report.contains("| 1 ★ | 2026-10-05 10:00 | 2026-10-05 14:00 | M-02 下游站 | conductivity rose | 600 µS/cm → 760 µS/cm |"))
        #expect(report.contains("| 2 | 2026-10-06 10:00 | 2026-10-06 13:00 | M-02 下游站 |"))
        #expect(report.contains("The incident's other events: 1 of 1 traced to the same stretch."))
    }

    @Test("values carry their units: µS/cm for conductivity, h for travel times, km for the stretch, m/s for velocities")
    func units() throws {
        let report = try #require(try files()[page])
        #expect(report.contains("| conductivity | rose | 600 µS/cm | 760 µS/cm | 160 µS/cm | 9.1 |"))
        #expect(report.contains("| 0.0 h | 0.0 h |"))
        #expect(report.contains("km 1–6)**, 5 km long"))
        // 5 km at 0.3 m/s = 4.63 h, × 1.2 = 5.56 h.
        #expect(report.contains("Travel time from the stretch's upper end (km 1) to M-02 下游站: 主河 5 km at 0.3 m/s, 4.6 h × 1.20 = 5.6 h"))
    }

    @Test("a candidate's discharge window is the onset less the learned travel time, give or take the walk's slack")
    func dischargeWindow() throws {
        let report = try #require(try files()[page])
        // By hand: S1 at km 3 to M-02 at km 6 is 3 km at 0.3 m/s = 10,000 s = 2.778 h, × 1.2 learned = 3.333 h (3 h 20 min);
        // the onset 10:00 less that is 06:40. Slack 2 h + half the travel = 3.667 h (3 h 40 min): earliest 03:00, latest
        // 10:20 cut to the onset, 10:00.
        #expect(report.contains("| 2026-10-05 06:40 ± 3.7 h (2026-10-05 03:00 – 2026-10-05 10:00) |"))
        // The unregistered outfall: the whole stretch, from km 1 (5 km: 5.556 h, slack 4.778 h, 10.333 h before 10:00 is
        // 23:40 the day before) to km 6 (the point itself: nothing to take off, 10:00).
        #expect(report.contains("| 2026-10-04 23:40 – 2026-10-05 10:00 |"))
    }

    @Test("candidates carry coordinates with five decimals, 'approx.' when placed along the river, and a map link")
    func coordinates() throws {
        let report = try #require(try files()[page])
        // S1 at km 3: 2/5 of the way from km 1 to km 6 → 31.00 + 0.4 × 0.05 = 31.02, 120.00 + 0.4 × 0.10 = 120.04.
        #expect(report.contains("31.02000, 120.04000 (approx.) [map](https://www.openstreetmap.org/?mlat=31.02000&mlon=120.04000#map=17/31.02000/120.04000)"))
        #expect(report.contains("30.99000, 119.99000 [map]"))
        // The unregistered outfall between the stretch's ends, km 1 and km 6: the two stations' own places.
        #expect(report.contains("31.00000, 120.00000 (approx.) [map](https://www.openstreetmap.org/?mlat=31.00000&mlon=120.00000#map=17/31.00000/120.00000) to 31.05000, 120.10000 (approx.)"))
    }

    @Test("the confidence is explained in plain words with the threshold below which no team is sent")
    func confidenceMeaning() throws {
        let report = try #require(try files()[page])
        // 77 % rounds to 8 in 10; the threshold is the document's uncertain_below, 0.5 by default.
        #expect(report.contains("of the trace-backs given about 77%, about 8 in 10 had the source on their suspect stretch"))
        #expect(report.contains("Below 50% a trace is reported uncertain: no field team is sent"))
    }

    @Test("the field record has a row per candidate visited with blank cells for date, who, what was found and photo")
    func fieldRecord() throws {
        let report = try #require(try files(.zh)[page])
        #expect(report.contains("| # | 排查对象 | 坐标（纬度, 经度） | 应排放时段 | 日期 | 排查人 | 发现情况（是否排水、颜色气味、采样编号） | 照片编号 | 结论（是/否/待定） |"))
        let rows = report.split(separator: "\n").filter { $0.hasSuffix("|   |   |   |   |   |") }
        // S1 (on the stretch), S0 (its signature fits 40 %), the unregistered outfall, and three spare rows.
        #expect(rows.count == 6)
        #expect(rows.first?.hasPrefix("| 1 | 某电镀厂 ") == true)
        #expect(rows[1].hasPrefix("| 2 | 上游小区排口 (S0) | 30.99000, 119.99000 |"))
        #expect(rows[2].hasPrefix("| 3 | 未登记排口 |"))
    }

    @Test("a source name with tags, pipes and backslashes is escaped in every Markdown table of the report")
    func markdownEscaped() throws {
        let report = try #require(try files()[page])
        #expect(report.range(of: #"(?<!\\)<[A-Za-z/]"#, options: .regularExpression) == nil, "a raw tag")
        // escapeMarkdown puts a backslash before \ < > (docs/operations.md, "User text in reports and terminals").
        #expect(report.contains(#"| S1 | 某电镀厂 "甲" \\ \</script\>\<img src=x\> | enterprise |"#))
    }

    @Test("every GeoJSON file keeps RFC 7946: a FeatureCollection of Features, lon-lat positions in range, lines of two or more")
    func geoJSONRules() throws {
        let geojson = try files().filter { $0.key.hasSuffix(".geojson") }
        #expect(Set(geojson.keys) == ["network.geojson", "traces/M-02-20261005-1000.geojson"])
        for (path, text) in geojson {
            #expect(!text.contains("NaN") && !text.contains("Infinity"), "\(path)")
            let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(path)")
            #expect(root["type"] as? String == "FeatureCollection", "\(path)")
            let features = try #require(root["features"] as? [[String: Any]], "\(path)")
            #expect(!features.isEmpty, "\(path)")
            for feature in features {
                #expect(feature["type"] as? String == "Feature", "\(path)")
                #expect(feature["properties"] is [String: Any], "\(path)")
                let geometry = try #require(feature["geometry"] as? [String: Any], "\(path)")
                let positions: [[Double]]
                switch geometry["type"] as? String {
                case "Point": positions = [try #require(geometry["coordinates"] as? [Double])]
                case "MultiPoint": positions = try #require(geometry["coordinates"] as? [[Double]])
                case "LineString":
                    positions = try #require(geometry["coordinates"] as? [[Double]])
                    #expect(positions.count >= 2, "\(path): a LineString needs two positions (RFC 7946 §3.1.4)")
                default:
                    Issue.record("\(path): unexpected geometry \(geometry["type"] ?? "nil")")
                    positions = []
                }
                for position in positions {
                    #expect(position.count == 2 && position.allSatisfy(\.isFinite), "\(path)")
                    // Longitude first (§3.1.1): in this network longitudes are 119.99–120.1, latitudes 30.99–31.05.
                    #expect((119...121).contains(position[0]) && (30...32).contains(position[1]), "\(path): \(position)")
                    // Six decimals at most.
                    #expect(position.allSatisfy { abs($0 * 1e6 - ($0 * 1e6).rounded()) < 1e-3 }, "\(path)")
                }
            }
        }
    }

    @Test("the network GeoJSON holds the river as a line, the points with their class and the sources, approximate or not")
    func networkContent() throws {
        let text = try #require(try files()["network.geojson"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let features = try #require(root["features"] as? [[String: Any]])
        func properties(_ kind: String) -> [[String: Any]] {
            features.compactMap { $0["properties"] as? [String: Any] }.filter { $0["feature"] as? String == kind }
        }
        #expect(properties("river").map { $0["id"] as? String } == ["M"])
        #expect(Set(properties("point").compactMap { $0["id"] as? String }) == ["M-01", "M-02"])
        let sources = properties("source")
        #expect(sources.first { $0["id"] as? String == "S1" }?["approximate"] as? Bool == true)
        #expect(sources.first { $0["id"] as? String == "S0" }?["approximate"] as? Bool == false)
        // The name goes through the JSON encoder: it comes back exactly, quotes, backslash and tags included.
        #expect(sources.first { $0["id"] as? String == "S1" }?["name"] as? String == "某电镀厂 \"甲\" \\ </script><img src=x>")
    }

    @Test("the incident GeoJSON holds the suspect stretch, the candidates ranked with their windows, and the event point")
    func incidentContent() throws {
        let text = try #require(try files()["traces/M-02-20261005-1000.geojson"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let features = try #require(root["features"] as? [[String: Any]])
        let stretch = try #require(features.first { ($0["properties"] as? [String: Any])?["feature"] as? String == "suspect_stretch" })
        // From km 1 to km 6: the two stations' places, lon first.
        #expect((stretch["geometry"] as? [String: Any])?["coordinates"] as? [[Double]] == [[120.0, 31.0], [120.1, 31.05]])
        let candidates = features.compactMap { $0["properties"] as? [String: Any] }.filter { $0["feature"] as? String == "candidate" }
        #expect(candidates.compactMap { $0["rank"] as? Int } == [1, 2, 3])
        // S1's window by hand (see the report's test): 03:00 to 10:00 local.
        #expect(candidates.first?["discharge_from"] as? String == "2026-10-05T03:00:00+08:00")
        #expect(candidates.first?["discharge_to"] as? String == "2026-10-05T10:00:00+08:00")
        let events = features.compactMap { $0["properties"] as? [String: Any] }.filter { $0["feature"] as? String == "event_point" }
        #expect(events.count == 2 && events.filter { $0["lead"] as? Bool == true }.count == 1)
    }

    @Test("map.html needs no network and carries names only as escaped JSON data")
    func mapPage() throws {
        let html = try #require(try files()["map.html"])
        // The one URL is the SVG namespace, which nothing fetches.
        #expect(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").range(of: "https?:", options: .regularExpression) == nil)
        #expect(!html.contains("<script src") && !html.contains("<link") && !html.contains("<iframe"))
        // Two script elements, each closed once: the hostile name's "</script>" is \u003c/script\u003e inside the data.
        #expect(html.components(separatedBy: "</script>").count == 3)
        #expect(!html.contains("<img"))
        #expect(html.contains(#"\u003c/script\u003e\u003cimg src=x\u003e"#))
        #expect(html.contains("traces/M-02-20261005-1000.md"))
    }
}

import Foundation
import TestSupport
import Testing

/// Every total of an `analyze --json` document against the items it counts; returns what does not add up.
/// Issue 15.8: the relations are written out here from docs/json-schema.md, not taken from the code.
func inconsistencies(in document: [String: Any]) -> [String] {
    var problems: [String] = []
    func check(_ condition: Bool, _ what: @autoclosure () -> String) { if !condition { problems.append(what()) } }
    let points = document["points"] as? [[String: Any]] ?? []
    let rivers = document["rivers"] as? [[String: Any]] ?? []
    let district = document["district"] as? [String: Any] ?? [:]
    let summary = document["summary"] as? [String: Any] ?? [:]
    let counts = summary["points"] as? [String: Any] ?? [:]
    func int(_ object: [String: Any], _ key: String) -> Int { object[key] as? Int ?? -1 }

    // Points: total, assessed, targets, classes.
    let assessed = points.filter { $0["class"] is String }
    check(int(counts, "total") == points.count, "summary.points.total \(int(counts, "total")) ≠ \(points.count) points")
    check(int(counts, "assessed") == assessed.count, "summary.points.assessed ≠ points with a class")
    check(int(counts, "assessed") + int(counts, "not_assessed") == int(counts, "total"), "assessed + not_assessed ≠ total")
    check(int(counts, "meeting_target") + int(counts, "missing_target") + int(counts, "without_target") == assessed.count,
          "meeting + missing + without target ≠ assessed")
    check(int(counts, "meeting_target") == assessed.filter { $0["meets_target"] as? Bool == true }.count, "meeting_target")
    check(int(counts, "missing_target") == assessed.filter { $0["meets_target"] as? Bool == false }.count, "missing_target")
    let byClass = counts["by_class"] as? [String: Int] ?? [:]
    check(byClass.values.reduce(0, +) == assessed.count, "by_class adds up to \(byClass.values.reduce(0, +)), not \(assessed.count)")
    for (label, count) in byClass {
        check(assessed.filter { $0["class"] as? String == label }.count == count, "by_class[\(label)]")
    }
    for point in points {
        for parameter in point["parameters"] as? [[String: Any]] ?? [] {
            let name = "\(point["point_id"] ?? "?") \(parameter["parameter"] ?? "?")"
            check(int(parameter, "used") <= int(parameter, "readings"), "\(name): used > readings")
            check(int(parameter, "censored") <= int(parameter, "readings"), "\(name): censored > readings")
            if parameter["sufficient"] as? Bool == true {
                check(parameter["mean"] is Double || parameter["mean"] is Int, "\(name): sufficient without a mean")
            }
        }
    }

    // Rivers and district: sections and shares against the points.
    check(int(district, "sections") == assessed.count, "district.sections ≠ assessed points")
    check(rivers.map { int($0, "sections") }.reduce(0, +) == int(district, "sections"), "Σ rivers' sections ≠ district's")
    for river in rivers {
        let id = river["river_id"] as? String ?? "?"
        let onRiver = assessed.filter { $0["river_id"] as? String == id }
        check(int(river, "sections") == onRiver.count, "river \(id): sections ≠ its assessed points")
        guard !onRiver.isEmpty else { continue }
        let good = onRiver.filter { ["I", "II", "III"].contains($0["class"] as? String ?? "") }.count
        let worse = onRiver.filter { $0["class"] as? String == "劣V" }.count
        let shareGood = river["share_i_iii"] as? Double ?? -1
        let shareWorse = river["share_worse_than_v"] as? Double ?? -1
        check(abs(shareGood * Double(onRiver.count) - Double(good)) < 1e-9, "river \(id): share_i_iii")
        check(abs(shareWorse * Double(onRiver.count) - Double(worse)) < 1e-9, "river \(id): share_worse_than_v")
    }

    // Events and traces.
    let events = document["events"] as? [[String: Any]] ?? []
    let traces = document["traces"] as? [[String: Any]] ?? []
    let eventCounts = summary["events"] as? [String: Any] ?? [:]
    check(int(eventCounts, "total") == events.count, "summary.events.total ≠ events")
    check(traces.count == events.count, "one trace per event")
    check(int(eventCounts, "source") + int(eventCounts, "uncertain") + int(eventCounts, "district_wide")
          + int(eventCounts, "sensor_fault") + int(eventCounts, "not_pollution") == int(eventCounts, "total"),
          "source + uncertain + district_wide + sensor_fault + not_pollution ≠ events")
    for verdict in ["source", "uncertain", "district_wide", "sensor_fault", "not_pollution"] {
        check(traces.filter { $0["verdict"] as? String == verdict }.count == int(eventCounts, verdict), "events.\(verdict)")
    }
    check(int(eventCounts, "incidents") <= int(eventCounts, "source"), "more incidents than source events")
    check((int(eventCounts, "incidents") == 0) == (int(eventCounts, "source") == 0), "incidents without source events")

    // Faults, exceedances, black-odorous.
    let faults = document["faults"] as? [[String: Any]] ?? []
    let faultCounts = summary["faults"] as? [String: Any] ?? [:]
    let faultKinds = faultCounts["by_kind"] as? [String: Int] ?? [:]
    check(int(faultCounts, "total") == faults.count, "summary.faults.total ≠ faults")
    check(faultKinds.values.reduce(0, +) == faults.count, "faults.by_kind adds up wrong")
    for (kind, count) in faultKinds {
        check(faults.filter { $0["kind"] as? String == kind }.count == count, "faults.by_kind[\(kind)]")
    }
    check(int(summary, "exceedances") == (document["exceedances"] as? [Any] ?? []).count, "summary.exceedances")
    let graded = document["black_odorous"] as? [[String: Any]] ?? []
    check((summary["black_odorous"] as? [String: Int] ?? [:]).values.reduce(0, +) == graded.count, "black_odorous counts")
    return problems
}

/// Simulates `days` of the sample district from `start`, ingests them and returns `analyze --period P --json`.
func simulatedAnalysis(start: String, days: Int, period: String) throws -> [String: Any] {
    let folder = try scratchFolder("summary")
    defer { removeScratch(folder) }  // a simulated year is hundreds of megabytes
    let network = sampleNetworkPath
    let dumps = folder.appendingPathComponent("dumps").path
    let store = folder.appendingPathComponent("s.sqlite").path
    #expect(try rivertrace(["simulate", "--network", network, "--scenario", "demo", "--start", start, "--days", "\(days)",
                            "--out", dumps]).status == 0)
    let ingest = try rivertrace(["ingest", "--store", store, "--network", network, dumps])
    #expect(ingest.status == 0 || ingest.status == 3)
    let analysis = try rivertrace(["analyze", "--store", store, "--network", network, "--period", period, "--json"])
    #expect(analysis.status == 0, "\(analysis.err)")
    return try #require(try JSONSerialization.jsonObject(with: Data(analysis.out.utf8)) as? [String: Any])
}

@Suite("counts that add up")
struct SummaryConsistencyTests {
    @Test("the demo month's analyze --json: every total equals the sum of its parts and the items it counts")
    func demoMonth() throws {
        // September and the 15 days before it that its baselines read.
        let document = try simulatedAnalysis(start: "2026-08-16", days: 46, period: "2026-09")
        #expect((document["events"] as? [Any])?.isEmpty == false, "the demo month has events to count")
        #expect(inconsistencies(in: document) == [])
    }

    @Test("a simulated year's analyze --json adds up too", .tags(.slow), .enabled(if: slowTestsEnabled))
    func simulatedYear() throws {
        let document = try simulatedAnalysis(start: "2025-12-01", days: 426, period: "2026")
        #expect(inconsistencies(in: document) == [])
    }

    @Test("the checker finds a total that does not add up (it is not vacuous)")
    func checkerCatches() {
        let document: [String: Any] = [
            "points": [["point_id": "A", "river_id": "R", "class": "II", "meets_target": true, "parameters": []]],
            "rivers": [["river_id": "R", "sections": 1, "share_i_iii": 1.0, "share_worse_than_v": 0.0]],
            "district": ["sections": 1],
            "events": [[:], [:]], "traces": [["verdict": "source"], ["verdict": "district_wide"]],
            "faults": [], "exceedances": [], "black_odorous": [],
            "summary": ["points": ["total": 1, "assessed": 1, "not_assessed": 0, "meeting_target": 1, "missing_target": 0,
                                   "without_target": 0, "by_class": ["II": 1]],
                        "events": ["total": 2, "source": 1, "incidents": 1, "uncertain": 0, "district_wide": 0, "sensor_fault": 0,
                                   "not_pollution": 0],
                        "faults": ["total": 0, "by_kind": [:]], "exceedances": 0, "black_odorous": [:]],
        ]
        #expect(inconsistencies(in: document) == ["source + uncertain + district_wide + sensor_fault + not_pollution ≠ events",
                                                  "events.district_wide"])
    }
}

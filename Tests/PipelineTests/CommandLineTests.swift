import CSV
import Pipeline
import Foundation
import TestSupport
import Testing

@Suite("the command line")
struct CommandLineTests {
    let network = fixtureNetworkPath

    @Test("exit 0 when every row is accepted, 3 when rows are quarantined")
    func exitCodes() throws {
        let store = try scratchPath("store.sqlite")
        let clean = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        #expect(try rivertrace(["ingest", "--store", store, "--network", network, clean]).status == 0)
        let dirty = try scratchFile(longHeader + "M-01,2026-10-08 14:00,do,7.1,mg/L,N\nXX,2026-10-08 14:00,do,7.1,mg/L,N\n")
        let result = try rivertrace(["ingest", "--store", store, "--network", network, dirty])
        #expect(result.status == 3)
        #expect(result.out.contains("unknown_point 1"))
    }

    @Test("check --parse-only judges every row as check does without opening or making a store")
    func parseOnly() throws {
        let store = try scratchPath("never.sqlite")
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nM-01,2026-10-08 13:00,do,7.1,mg/L,N\n"
                                   + "XX,2026-10-08 14:00,do,7.1,mg/L,N\nM-01,2026-10-08 15:00,do,--,mg/L,N\n")
        let result = try rivertrace(["check", "--parse-only", "--json", "--store", store, "--network", network, path])
        #expect(result.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(object["parse_only"] as? Bool == true)
        #expect(object["committed"] as? Bool == false)
        let totals = try #require(object["totals"] as? [String: Any])
        // The repeated 13:00 row is not judged a duplicate without a store: both readings pass.
        #expect(totals["readings_read"] as? Int == 4)
        #expect(totals["accepted"] as? Int == 2)
        #expect(totals["duplicates"] as? Int == 0)
        #expect(totals["quarantined"] as? Int == 2)
        #expect(totals["quarantined_by_reason"] as? [String: Int] == ["unknown_point": 1, "missing_value": 1])
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test("exit 2 for a usage error, with the flag named")
    func usage() throws {
        let result = try rivertrace(["ingest", "--year", "26", "x.csv"])
        #expect(result.status == 2)
        #expect(result.err.contains("--year"))
    }

    @Test("exit 1 for a broken network, naming file, line and column; no stack trace")
    func brokenNetwork() throws {
        let folder = try scratchFolder("badnet")
        try "river_id,name,flows_into,confluence_km,length_km,velocity_m_s,target_class\nA,甲,,,5,0.3,VII\n"
            .write(to: folder.appendingPathComponent("rivers.csv"), atomically: true, encoding: .utf8)
        try "point_id,name,river_id,km,lat,lon,target_class,kind\n"
            .write(to: folder.appendingPathComponent("points.csv"), atomically: true, encoding: .utf8)
        let result = try rivertrace(["ingest", "--store", scratchPath("store.sqlite"), "--network", folder.path,
                                     scratchFile(longHeader)])
        #expect(result.status == 1)
        #expect(result.err.contains("rivers.csv:2 [target_class]: class \"VII\""))
    }

    @Test("exit 1 for a path that does not exist")
    func missingPath() throws {
        let result = try rivertrace(["ingest", "--store", scratchPath("store.sqlite"), "--network", network, "/nonexistent/dump.csv"])
        #expect(result.status == 1)
        #expect(result.err.contains("/nonexistent/dump.csv: no such file or folder"))
    }

    @Test("--json carries files[] and totals with the documented keys")
    func json() throws {
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nXX,2026-10-08 14:00,do,7.1,mg/L,N\n")
        let result = try rivertrace(["check", "--json", "--store", scratchPath("store.sqlite"), "--network", network, path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Any])
        for key in ["accepted", "duplicates", "conflicts", "quarantined", "skipped_files", "readings_read"] {
            #expect(totals[key] != nil, "totals.\(key)")
        }
        #expect(totals["quarantined"] as? Int == 1)
        #expect((object["files"] as? [[String: Any]])?.count == 1)
        #expect(object["schema_version"] as? Int == 1)
    }

    @Test("quarantine --csv exports rows libcsv reads back, raw text intact")
    func quarantineExport() throws {
        let store = try scratchPath("store.sqlite")
        let row = "XX,\"2026-10-08 14:00\",do,\"7,1\",mg/L,N"
        let path = try scratchFile(longHeader + row + "\n")
        _ = try rivertrace(["ingest", "--store", store, "--network", network, path])
        let result = try rivertrace(["quarantine", "--csv", "--store", store, "--network", network])
        #expect(result.status == 0)
        var records: [[String]] = []
        try CSVReader(path: try scratchFile(result.out)).forEachRecord { records.append($0.fields) }
        #expect(records.first == ["file", "line", "column", "reason", "message", "raw"])
        #expect(records.count == 2)
        #expect(records.last?[1] == "2")
        #expect(records.last?[3] == "unknown_point")
        #expect(records.last?[5] == row)
    }
}

@Suite("simulate's scenario file")
struct ScenarioFileTests {
    func write(_ text: String) throws -> String {
        try scratchFile(text, name: "scenario.toml")
    }

    @Test("every knob is read from the file")
    func readsKnobs() throws {
        let file = try ScenarioFile.load(path: write("""
            scenario = "stress"
            seed = 7
            start = "2026-01-01"
            days = 30
            interval_minutes = 240
            station_intervals = [240, 480]
            events_per_month = 4
            faults_per_month = 0.5
            flow_scale = 1.5
            noise_scale = 2
            calibration_steps = 1.5
            night_discharges = 0.5
            single_parameter_discharges = 0.25
            vary = true
            """))
        #expect(file.scenario == "stress" && file.seed == 7 && file.start == "2026-01-01" && file.days == 30)
        #expect(file.intervalMinutes == 240 && file.eventsPerMonth == 4 && file.faultsPerMonth == 0.5 && file.flowScale == 1.5)
        #expect(file.vary == true && file.stationIntervals == [240, 480] && file.noiseScale == 2 && file.calibrationSteps == 1.5)
        #expect(file.nightDischarges == 0.5 && file.singleParameterDischarges == 0.25)
    }

    @Test("a knob that is negative, not a number or infinite is refused with exit 2, naming it (never a crash)",
          arguments: [("--noise-scale=-1", "noise scale -1"), ("--noise-scale=inf", "noise scale inf"),
                      ("--events-per-month=nan", "events per month nan"), ("--faults-per-month=inf", "faults per month inf"),
                      ("--calibration-steps=-2", "calibration steps -2"), ("--night-discharges=nan", "night discharges nan"),
                      ("--single-parameter-discharges=-1", "single-parameter discharges -1"),
                      ("--flow-scale=inf", "flow scale inf")])
    func badKnob(_ flag: String, _ named: String) throws {
        let result = try rivertrace(["simulate", flag, "--days", "5", "--scenario", "stress", "--out", try scratchPath("dumps"),
                                     "--network", sampleNetworkPath])
        #expect(result.status == 2)
        #expect(result.err.contains(named))
    }

    @Test("station intervals that are not whole numbers are an error that names the key")
    func stationIntervalsNotNumbers() throws {
        #expect(throws: SettingsError.self) { try ScenarioFile.load(path: try write("station_intervals = [60, \"2h\"]\n")) }
        #expect(throws: SettingsError.self) { try ScenarioFile.load(path: try write("station_intervals = 60\n")) }
    }

    @Test("a station interval that is no multiple of the interval, or given twice, is refused with exit 2, naming it",
          arguments: ["60,90", "60,x", "0", "60,60,240", "30"])
    func badStationIntervals(_ value: String) throws {
        let result = try rivertrace(["simulate", "--station-intervals", value, "--days", "1", "--out", try scratchPath("dumps"),
                                     "--network", sampleNetworkPath])
        #expect(result.status == 2)
        #expect(result.err.contains("station interval"))
    }

    @Test("a misspelt key is an error that names it")
    func unknownKey() throws {
        #expect(throws: SettingsError.self) { try ScenarioFile.load(path: try write("scenerio = \"demo\"\n")) }
    }

    @Test("flags override the file: --days 1 over days = 3")
    func flagsOverride() throws {
        let scenario = try write("scenario = \"clean\"\ndays = 3\nseed = 5\n")
        let out = try scratchPath("dumps")
        let result = try rivertrace(["simulate", "--scenario-file", scenario, "--days", "1", "--out", out,
                                     "--network", sampleNetworkPath])
        #expect(result.status == 0)
        #expect(result.out.contains("simulated clean, 1 days from 2026-07-01, seed 5"))
    }
}

@Suite("fixing quarantined rows")
struct FixWorkflowTests {
    @Test("quarantine --raw exports header + rejected rows; the corrected file ingests")
    func rawExportRoundTrip() throws {
        let network = fixtureNetworkPath
        let store = try scratchPath("s.sqlite")
        let source = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\nM-01,2026-10-08 14:00,nh3n,0.41,furlongs,N\n",
                              name: "station_20261008.csv")
        #expect(try rivertrace(["ingest", "--store", store, "--network", network, source]).status == 3)
        let exported = try rivertrace(["quarantine", "--raw", "--file", "station_20261008.csv", "--store", store, "--network", network])
        #expect(exported.status == 0)
        #expect(exported.out == longHeader + "M-01,2026-10-08 14:00,nh3n,0.41,furlongs,N\n")
        let fixed = try scratchFile(exported.out.replacingOccurrences(of: "furlongs", with: "mg/L"), name: "station_20261008.fixed.csv")
        let result = try rivertrace(["ingest", "--store", store, "--network", network, "--json", fixed])
        #expect(result.status == 0)
        #expect(result.out.contains("\"accepted\" : 1"))
    }
}

@Suite("analyze --json")
struct AnalyzeJSONTests {
    @Test("the document carries the keys docs/json-schema.md promises")
    func keys() throws {
        let network = sampleNetworkPath
        let store = try scratchPath("s.sqlite")
        let lab = repositoryPath("data/samples/manual_202610_lab.csv")
        #expect(try rivertrace(["ingest", "--store", store, "--network", network, lab]).status == 0)
        let result = try rivertrace(["analyze", "--period", "2026-10", "--json", "--store", store, "--network", network])
        #expect(result.status == 3, "one lab file: partial data")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(document["schema_version"] as? Int == 2)
        for key in ["period", "points", "rivers", "district", "exceedances", "black_odorous", "traces", "incidents", "travel_times"] { #expect(document[key] != nil, "\(key)") }
        let points = try #require(document["points"] as? [[String: Any]])
        let llh02 = try #require(points.first { $0["point_id"] as? String == "LLH-02" })
        #expect(llh02["class"] as? String == "劣V" && llh02["target_class"] as? String == "V")
        #expect(llh02["meets_target"] as? Bool == false)
        #expect(llh02["completeness"] != nil)
        let main = try #require(llh02["main_pollutants"] as? [[String: Any]])
        #expect(main.contains { $0["parameter"] as? String == "nh3n" && $0["exceedance_multiple"] != nil })
        let rivers = try #require(document["rivers"] as? [[String: Any]])
        #expect(rivers.count == 9)
        #expect(rivers.allSatisfy { $0["river_id"] != nil && $0["share_i_iii"] != nil && $0["share_worse_than_v"] != nil })
    }
}

@Suite("stats")
struct StatsCommandTests {
    @Test("stats reads a column through libcsv and prints pyMannKendall's numbers (DS column, original test)")
    func dissolvedSolids() throws {
        let file = repositoryPath("Tests/Fixtures/public-data/water-quality-ds-discharge.csv")
        let result = try rivertrace(["stats", file, "--column", "DS", "--json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        // pyMannKendall 1.4.3: original_test(DS) p = 0.38336904452976617, s = -199.
        #expect(abs((object["p"] as? Double ?? 0) - 0.38336904452976617) < 1e-12)
        #expect(object["s"] as? Double == -199)
    }

    @Test("a non-numeric cell names file, line and column; a short column is not assessed (exit 3)")
    func errors() throws {
        let bad = try scratchFile("t,x\n1,2.5\n2,abc\n")
        let failed = try rivertrace(["stats", bad, "--column", "x"])
        #expect(failed.status == 1 && failed.err.contains(":3 [x]: \"abc\" is not a number"))
        let short = try rivertrace(["stats", try scratchFile("x\n1\n2\n"), "--column", "x"])
        #expect(short.status == 3 && short.out.contains("not assessed"))
    }

    @Test("--test censored reads <1 and 1L as below their limit: the hand-worked example, S 1 and ATS slope 0.5")
    func censored() throws {
        // The example of CensoredTrendTests: <1, 2, <1, 3, 0.5 (a blank row is missing and skipped).
        let file = try scratchFile("x\n<1\n2\n\n1L\n3\n0.5\n")
        let result = try rivertrace(["stats", file, "--column", "x", "--test", "censored", "--json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(object["s"] as? Double == 1 && object["censored"] as? Int == 2 && object["n"] as? Int == 5)
        let withoutLimit = try rivertrace(["stats", try scratchFile("x\n1\nND\n2\n3\n"), "--column", "x", "--test", "censored"])
        #expect(withoutLimit.status == 1 && withoutLimit.err.contains("gives no detection limit"))
    }

    @Test("--time-column: Sen's slope per year from the times, by hand 0.4 a year; a bad time names line and column")
    func slopePerYear() throws {
        // 365.25 days = 8,766 h apart: one year each; the values rise 0.4 each time, irregular hours aside.
        let file = try scratchFile("""
            t,x
            2020-01-01 00:00,1.0
            2020-12-31 06:00,1.4
            2021-12-31 12:00,1.8
            2022-12-31 18:00,2.2
            2024-01-01 00:00,2.6

            """)
        let result = try rivertrace(["stats", file, "--column", "x", "--time-column", "t", "--json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any])
        #expect(abs((object["slope_per_year"] as? Double ?? 0) - 0.4) < 1e-9)
        #expect(object["pairs"] as? Int == 10)
        let bad = try rivertrace(["stats", try scratchFile("t,x\n2020-01-01,1\nsoon,2\n"), "--column", "x", "--time-column", "t"])
        #expect(bad.status == 1 && bad.err.contains(":3 [t]: \"soon\" is not a time"))
    }
}

@Suite("the network saved in the store")
struct SavedNetworkTests {
    @Test("status and analyze run without the network folder, from the copy the last ingest saved")
    func withoutFolder() throws {
        let network = fixtureNetworkPath
        let store = try scratchPath("s.sqlite")
        let path = try scratchFile(longHeader + "M-01,2026-10-08 13:00,do,7.1,mg/L,N\n")
        #expect(try rivertrace(["ingest", "--store", store, "--network", network, path]).status == 0)
        let status = try rivertrace(["status", "--store", store, "--network", "/nonexistent/network"])
        #expect(status.status == 0)
        #expect(status.out.contains("network 2 rivers, 3 points, 2 registered sources"))
        let analysis = try rivertrace(["analyze", "--period", "2026-10", "--store", store, "--network", "/nonexistent/network"])
        #expect(analysis.status == 3, "a handful of readings: partial data")
        #expect(analysis.out.contains("M-01 主河上游桥"))
    }
}

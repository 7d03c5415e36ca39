import Foundation
import Ingest
import TestSupport
import Testing

/// `rivertrace stats FILE ARGS --json`, decoded; the exit status beside it.
private func statsJSON(_ file: String, _ arguments: [String]) throws -> (status: Int32, object: [String: Any], out: String) {
    let result = try rivertrace(["stats", file] + arguments + ["--json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any],
                              "stats --json printed no JSON object: \(result.out) \(result.err)")
    return (result.status, object, result.out)
}

private func number(_ object: [String: Any], _ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }

@Suite("stats: missing values keep their place")
struct StatsMissingValueTests {
    @Test("a blank line in a one-column CSV is a missing value in its row, whatever the line ends", arguments: [
        "v\n1\n2\n\n4\n5\n6\n", "v\r\n1\r\n2\r\n\r\n4\r\n5\r\n6\r\n", "v\r1\r2\r\r4\r5\r6\r", "v\n1\n2\n   \n4\n5\n6\n",
        "\n\nv\n1\n2\n\n4\n5\n6\n\n\n",
    ])
    func blankLineIsMissing(text: String) throws {
        let path = try scratchFile(text, name: "one-column.csv")
        let values = try #require(try NumericColumns.read(path: path, names: ["v"])["v"])
        #expect(values == [1, 2, nil, 4, 5, 6])
    }

    @Test("blank lines between rows of a several-column file are rows of missing cells; a time column keeps step")
    func severalColumns() throws {
        let path = try scratchFile("t,v,q\n2026-01-01,1,10\n\n2026-01-03,3,30\n,4,\n", name: "wide.csv")
        let table = try NumericColumns.read(path: path, names: ["v", "q"])
        #expect(table["v"]! == [1, nil, 3, 4])
        #expect(table["q"]! == [10, nil, 30, nil])
        #expect(try NumericColumns.readTimes(path: path, name: "t", timeZone: TimeZone(identifier: "UTC")!).map { $0 != nil }
                == [true, false, true, false])
        #expect(try NumericColumns.readCensored(path: path, name: "v").values == [1, nil, 3, 4])
    }

    // pyMannKendall 1.4.3, original_test([1, 2, nan, 4, 5, 6]): s 10, var_s 16.666666666666668, Tau 1,
    // z 2.2045407685048604, p 0.0274863361115103, slope 1.0, intercept 1.0 (with the blank line dropped the slope
    // was 1.2916666666666665 and the intercept 1.416666666666667: every later value one row early).
    @Test("the issue's series 1, 2, (blank), 4, 5, 6: Sen's slope 1.0 as pyMannKendall, not 1.29")
    func issueSeries() throws {
        let path = try scratchFile("v\n1\n2\n\n4\n5\n6\n", name: "issue.csv")
        let (status, json, _) = try statsJSON(path, ["--column", "v", "--test", "original"])
        #expect(status == 0)
        #expect(number(json, "slope") == 1.0)
        #expect(number(json, "intercept") == 1.0)
        #expect(number(json, "s") == 10)
        #expect(abs(number(json, "p")! - 0.0274863361115103) < 1e-15)
        let text = try rivertrace(["stats", path, "--column", "v"])
        #expect(text.out.contains("5 values of 6 rows"))
    }

    // Dhaka's first 48 months (Tests/Fixtures/public-data/monthly-rainfall-bangladesh.csv) with month 8 blank.
    // pyMannKendall 1.4.3 seasonal_test(x, period=12), NaN kept in place: s 5, var_s 97, slope 1.0, intercept 134.0,
    // p 0.6846408637514223. With the NaN dropped every later month shifts one season: s 11, slope 6.5.
    @Test("a blank line in a monthly series keeps every later month in its season (seasonal S 5, as pyMannKendall)")
    func seasonalKeepsSeasons() throws {
        let rows = try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/Fixtures/public-data/monthly-rainfall-bangladesh.csv"),
                              encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let dhaka = try #require(rows[0].firstIndex(of: "Dhaka"))
        let values = rows[1...48].map { String($0[dhaka]) }
        let text = "Dhaka\n" + values.enumerated().map { $0.offset == 7 ? "" : $0.element }.joined(separator: "\n") + "\n"
        let (status, json, _) = try statsJSON(try scratchFile(text, name: "dhaka.csv"), ["--column", "Dhaka", "--test", "seasonal"])
        #expect(status == 0)
        #expect(number(json, "s") == 5)
        #expect(abs(number(json, "var_s")! - 97) < 1e-9)
        #expect(number(json, "slope") == 1.0)
        #expect(number(json, "intercept") == 134.0)
        #expect(abs(number(json, "p")! - 0.6846408637514223) < 1e-12)
    }
}

@Suite("stats: no NaN or infinity reaches the output")
struct StatsNotAssessedTests {
    // Hand-worked in Tests/StatisticsTests/DegenerateStatisticsTests.swift: Yue–Wang lag 1 on 1, 3, 1, 3, 1, 3 has the
    // factor −7/18; pyMannKendall prints z and p NaN there.
    @Test("a corrected variance ≤ 0 is 'not assessed' with its reason in JSON and text alike, exit 3, no nan")
    func degenerateVariance() throws {
        let path = try scratchFile("v\n1\n3\n1\n3\n1\n3\n", name: "oscillating.csv")
        let (status, json, out) = try statsJSON(path, ["--column", "v", "--test", "yue-wang", "--lag", "1"])
        #expect(status == 3)
        #expect(json["trend"] as? String == "not assessed")
        #expect(json["reason_code"] as? String == "corrected_variance_not_positive")
        #expect((json["reason"] as? String)?.contains("-0.3889") == true)
        #expect((json["reason_zh"] as? String)?.isEmpty == false)
        #expect(!out.lowercased().contains("nan") && !out.lowercased().contains("inf"))
        let text = try rivertrace(["stats", path, "--column", "v", "--test", "yue-wang", "--lag", "1"])
        #expect(text.status == 3)
        #expect(text.out.hasPrefix("not assessed: the Yue–Wang correction"))
        #expect(!text.out.lowercased().contains("nan"))
    }

    @Test("every test on a degenerate series answers a number or 'not assessed', never nan", arguments: [
        "hamed-rao", "yue-wang", "pre-whitening", "trend-free-pre-whitening", "original", "sens-slope", "pettitt", "spearman",
    ])
    func noNaNAnywhere(test: String) throws {
        for series in ["1\n3\n1\n3\n1\n3\n", "1\n2\n3\n4\n5\n6\n", "1\n1\n2\n1\n3\n2\n3\n", "5\n", "1\n3\n2\n4\n"] {
            let path = try scratchFile("v\n" + series, name: "degenerate.csv")
            for arguments in [["--json"], []] {
                let result = try rivertrace(["stats", path, "--column", "v", "--test", test] + arguments)
                #expect(result.status == 0 || result.status == 3, "\(test) \(series): \(result.err)")
                #expect(!result.out.lowercased().contains("nan") && !result.out.contains("inf"), "\(test) on \(series): \(result.out)")
            }
        }
    }

    @Test("Pettitt's p is at most 1 in the JSON (1, 3, 2, 4: the formula gives 1.018)")
    func pettittCapped() throws {
        let (status, json, _) = try statsJSON(try scratchFile("v\n1\n3\n2\n4\n", name: "weak.csv"),
                                              ["--column", "v", "--test", "pettitt"])
        #expect(status == 0)
        #expect(number(json, "p") == 1)
    }

    @Test("a column name with an escape sequence is shown as \\u{1B} on the terminal")
    func terminalSafeColumn() throws {
        let name = "v\u{1B}[31m"
        let path = try scratchFile("\(name)\n1\n2\n3\n5\n4\n", name: "hostile.csv")
        let result = try rivertrace(["stats", path, "--column", name])
        #expect(result.status == 0)
        #expect(!result.out.contains("\u{1B}"))
        #expect(result.out.contains("\\u{1B}"))
    }
}

@Suite("stats: Spearman says which critical value it used")
struct StatsSpearmanTests {
    // n = 12 with Σd² = 142 (r_s = 0.50350, exact P = 0.0495): significant against Zar's 0.503.
    @Test("the output names the critical value, n, α and the table")
    func criticalValueInOutput() throws {
        let path = try scratchFile("v\n7\n2\n8\n5\n4\n6\n1\n3\n12\n10\n11\n9\n", name: "spearman.csv")
        let (status, json, _) = try statsJSON(path, ["--column", "v", "--test", "spearman"])
        #expect(status == 0)
        #expect(number(json, "critical_0_05") == 0.503)
        #expect(number(json, "critical_0_01") == 0.678)
        #expect(json["critical_source"] as? String == "zar_1972")
        #expect(json["trend"] as? String == "increasing")
        let text = try rivertrace(["stats", path, "--column", "v", "--test", "spearman"])
        #expect(text.out.contains("critical value W_p at n = 12: 0.503 (α 0.05), 0.678 (α 0.01) [Zar (1972) table, one-tailed]"))
    }
}

@Suite("stats --each-column: every column of a wide file in one run")
struct StatsEachColumnTests {
    /// Two series and a text column beside a date column.
    private let table = """
        date,v,w,name
        2026-01-01,1,6,a
        2026-01-02,2,5,b
        2026-01-03,,4,c
        2026-01-04,4,3,d
        2026-01-05,5,2,e
        2026-01-06,6,1,f

        """

    // v: pyMannKendall 1.4.3 original_test([1, 2, nan, 4, 5, 6]): s 10, slope 1.0, intercept 1.0 (as the
    // single-column test above). w, by hand: 6, 5, 4, 3, 2, 1 has every one of its 15 pairs falling, s −15;
    // var_s = n(n − 1)(2n + 5)/18 = 6·5·17/18 = 28.333…; Sen's slope −1, intercept median 3.5 − 2.5 × (−1) = 6.
    @Test("one JSON object a line, each with its column; the time column is left out; a text column is named, exit 3")
    func jsonLines() throws {
        let path = try scratchFile(table, name: "wide.csv")
        let result = try rivertrace(["stats", path, "--each-column", "--time-column", "date", "--json"])
        #expect(result.status == 3, "the text column needs attention: \(result.err)")
        let objects = try result.out.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(objects.map { $0["column"] as? String } == ["v", "w", "name"])
        #expect(number(objects[0], "s") == 10)
        #expect(number(objects[0], "slope") == 1.0)
        #expect(number(objects[0], "intercept") == 1.0)
        #expect(number(objects[1], "s") == -15)
        #expect(abs(number(objects[1], "var_s")! - 6.0 * 5 * 17 / 18) < 1e-12)
        #expect(number(objects[1], "slope") == -1.0)
        #expect(number(objects[1], "intercept") == 6.0)
        // By hand: one step down a day is 365.25 down a year (years of 365.25 days), for every pair.
        #expect(abs(number(objects[1], "slope_per_year")! + 365.25) < 1e-9, "--time-column adds the slope per year")
        #expect(objects[2]["trend"] as? String == "not assessed")
        #expect(objects[2]["reason_code"] as? String == "not_numbers")
        #expect((objects[2]["reason"] as? String)?.hasSuffix("wide.csv:2 [name]: \"a\" is not a number (blank cells are missing values)") == true,
                "file, line, column, cell and what was expected")
    }

    @Test("text: each column's lines carry its name; the text column says why it was not tested")
    func text() throws {
        let path = try scratchFile(table, name: "wide.csv")
        let result = try rivertrace(["stats", path, "--each-column", "--time-column", "1"])
        #expect(result.status == 3)
        #expect(result.out.contains("original Mann-Kendall on v (5 values of 6 rows): increasing"))
        #expect(result.out.contains("original Mann-Kendall on w (6 values): decreasing"))
        #expect(result.out.contains("name: not assessed:"))
        #expect(!result.out.contains("on date"))
    }

    @Test("--skip-column leaves columns out by name or number: nothing to attend to, exit 0")
    func skipped() throws {
        let path = try scratchFile(table, name: "wide.csv")
        let result = try rivertrace(["stats", path, "--each-column", "--skip-column", "1", "--skip-column", "name", "--json"])
        #expect(result.status == 0, "\(result.out) \(result.err)")
        let columns = result.out.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["column"] as? String
        }
        #expect(columns == ["v", "w"])
    }

    @Test("--each-column refuses --column and the tests that compare several columns; --skip-column needs it (exit 2)",
          arguments: [["--each-column", "--column", "v"], ["--each-column", "--test", "regional"], ["--skip-column", "v", "--column", "w"]])
    func refused(_ arguments: [String]) throws {
        let path = try scratchFile(table, name: "wide.csv")
        let result = try rivertrace(["stats", path] + arguments)
        #expect(result.status == 2)
        #expect(result.err.contains("--each-column"))
    }
}

import Foundation
import Ingest
import Testing

/// `rivertrace stats FILE ARGS --json`, decoded; the exit status beside it.
private func statsJSON(_ file: String, _ arguments: [String]) throws -> (status: Int32, object: [String: Any], out: String) {
    let result = try rivertrace(["stats", file] + arguments + ["--json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any],
                              "stats --json printed no JSON object: \(result.out) \(result.err)")
    return (result.status, object, result.out)
}

private func number(_ object: [String: Any], _ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }

@Suite("stats: no NaN or infinity reaches the output")
struct StatsNotAssessedTests {
    // Hand-worked in Tests/StatisticsTests/DegenerateStatisticsTests.swift: Yue–Wang lag 1 on 1, 3, 1, 3, 1, 3 has the
    // factor −7/18; pyMannKendall prints z and p NaN there.
    @Test("a corrected variance ≤ 0 is 'not assessed' with its reason in JSON and text alike, exit 3, no nan")
    func degenerateVariance() throws {
        let path = try dump("v\n1\n3\n1\n3\n1\n3\n", name: "oscillating.csv")
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
            let path = try dump("v\n" + series, name: "degenerate.csv")
            for arguments in [["--json"], []] {
                let result = try rivertrace(["stats", path, "--column", "v", "--test", test] + arguments)
                #expect(result.status == 0 || result.status == 3, "\(test) \(series): \(result.err)")
                #expect(!result.out.lowercased().contains("nan") && !result.out.contains("inf"), "\(test) on \(series): \(result.out)")
            }
        }
    }

    @Test("Pettitt's p is at most 1 in the JSON (1, 3, 2, 4: the formula gives 1.018)")
    func pettittCapped() throws {
        let (status, json, _) = try statsJSON(try dump("v\n1\n3\n2\n4\n", name: "weak.csv"), ["--column", "v", "--test", "pettitt"])
        #expect(status == 0)
        #expect(number(json, "p") == 1)
    }

    @Test("a column name with an escape sequence is shown as \\u{1B} on the terminal")
    func terminalSafeColumn() throws {
        let name = "v\u{1B}[31m"
        let path = try dump("\(name)\n1\n2\n3\n5\n4\n", name: "hostile.csv")
        let result = try rivertrace(["stats", path, "--column", name])
        #expect(result.status == 0)
        #expect(!result.out.contains("\u{1B}"))
        #expect(result.out.contains("\\u{1B}"))
    }
}

import Foundation
import Ingest
import Pipeline
import Report
import Standards
import Store
import TestSupport
import Testing

// MARK: 同比/环比 on a hand-written store

/// Manual samples at T-01 (支河口, on TRIB, target Class III from rivers.csv) in three months, written by hand so that
/// every number the report prints can be worked out on paper against GB 3838-2002 Table 1:
///
/// | month   | NH3-N samples      | NH3-N mean                         | class | DO samples | DO mean | class | point |
/// |---------|--------------------|------------------------------------|-------|------------|---------|-------|-------|
/// | 2025-09 | 2.35, 2.05         | 4.40 / 2 = 2.20 (> 2.0)            | 劣V   | 4.0        | 4.0     | IV    | 劣V 重度污染 |
/// | 2026-08 | 0.82, 0.95         | 1.77 / 2 = 0.885 → 0.88 (half even) | III   | 6.0        | 6.0     | II    | III 良好 |
/// | 2026-09 | 1.20, 1.45, 1.61   | 4.26 / 3 = 1.42 (≤ 1.5)            | IV    | 5.8, 6.4   | 6.1     | II    | IV 轻度污染 |
///
/// 2026-09: target III missed; NH3-N exceeds the Class III limit 1.0 by (1.42 − 1.0) / 1.0 = 0.42.
/// 环比 (2026-08 → 2026-09): 良好 → 轻度污染, one step worse: 有所变差; NH3-N (1.42 − 0.88) / 0.88 = +61.4 %.
/// 同比 (2025-09 → 2026-09): 重度污染 → 轻度污染, two steps better: 明显好转; NH3-N (1.42 − 2.20) / 2.20 = −35.5 %.
/// The two stations (M-01, M-02) have no data: not assessed, so the district is T-01 alone.
private let handRows = """
    T-01,2025-09-08 10:00:00+08:00,nh3n,2.35,mg/L,
    T-01,2025-09-22 10:00:00+08:00,nh3n,2.05,mg/L,
    T-01,2025-09-08 10:00:00+08:00,do,4.0,mg/L,
    T-01,2026-08-10 10:00:00+08:00,nh3n,0.82,mg/L,
    T-01,2026-08-24 10:00:00+08:00,nh3n,0.95,mg/L,
    T-01,2026-08-10 10:00:00+08:00,do,6.0,mg/L,
    T-01,2026-09-03 10:00:00+08:00,nh3n,1.20,mg/L,
    T-01,2026-09-14 10:00:00+08:00,nh3n,1.45,mg/L,
    T-01,2026-09-25 10:00:00+08:00,nh3n,1.61,mg/L,
    T-01,2026-09-03 10:00:00+08:00,do,5.8,mg/L,
    T-01,2026-09-25 10:00:00+08:00,do,6.4,mg/L,

    """

/// The report of 2026-09 from the hand-written store, keeping only the rows `keep` passes.
private func handReport(_ language: ReportLanguage = .zh, keep: (String) -> Bool = { _ in true }) throws -> String {
    let rows = handRows.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && keep($0) }
    let (_, store) = try ingestOne(try scratchFile(longHeader + rows.joined(separator: "\n") + "\n"))
    let period = try #require(PeriodParser.parse("2026-09", timeZone: .chinaStandard))
    let input = try ReportJob(store: store, network: fixtureNetwork, timeZone: .chinaStandard)
        .prepare(period: period, now: period.end.addingTimeInterval(86_400))
    return try #require(ReportWriter(input: input, language: language).files()["report.md"])
}

@Suite("the monthly report against hand-worked values")
struct PeriodReportHandTests {
    @Test("T-01's September means, range, class and target as worked by hand")
    func pointResults() throws {
        let report = try handReport()
        // NH3-N 1.42 (1.20–1.61), DO 6.1 (5.8–6.4): the concentration table's row (pH, CODMn … not measured).
        #expect(report.contains("| [T-01 支河口](rivers/TRIB.md) | 6.1 (5.8–6.4) | 1.42 (1.20–1.61) |"))
        #expect(report.contains("| [T-01 支河口](rivers/TRIB.md) | Ⅳ类 | Ⅲ类 | 未达标 | 氨氮（0.42） | 氨氮（0.42） |"))
    }

    @Test("环比: T-01 Ⅲ类 → Ⅳ类 is 有所变差, NH3-N 0.88 → 1.42 is +61.4 %")
    func periodOnPeriod() throws {
        let report = try handReport()
        let section = try #require(report.components(separatedBy: "### 环比").dropFirst().first?.components(separatedBy: "### 同比").first)
        #expect(section.contains("本期 2026-09，对比期 2026-08"))
        #expect(section.contains("| [T-01 支河口](rivers/TRIB.md) | Ⅲ类 | Ⅳ类 | 有所变差 |"))
        #expect(section.contains("| [T-01 支河口](rivers/TRIB.md) | 氨氮 (mg/L) | 0.88 | 1.42 | +61.4% |"))
        // The district is T-01 alone (fewer than 5 points): by status, 良好 → 轻度污染.
        #expect(section.contains("| 良好 | 轻度污染 | — | 有所变差（按水质状况） |"))
    }

    @Test("同比: T-01 劣Ⅴ类 → Ⅳ类 is 明显好转, NH3-N 2.20 → 1.42 is −35.5 %")
    func yearOnYear() throws {
        let report = try handReport()
        let section = try #require(report.components(separatedBy: "### 同比").dropFirst().first?.components(separatedBy: "### 长期趋势").first)
        #expect(section.contains("对比期 2025-09"))
        #expect(section.contains("| [T-01 支河口](rivers/TRIB.md) | 劣Ⅴ类 | Ⅳ类 | 明显好转 |"))
        #expect(section.contains("| [T-01 支河口](rivers/TRIB.md) | 氨氮 (mg/L) | 2.20 | 1.42 | -35.5% |"))
        #expect(report.contains("同比（2025-09）：全区水质明显好转（按水质状况）"))
    }

    @Test("the district's shares and compliance: 1 point assessed, Ⅳ类, target missed, 达标率 0.0 %; 2 stations without data")
    func districtRow() throws {
        let report = try handReport()
        // 3 points, 1 assessed: I–III 0, IV 1 (100.0 %), V 0, 劣V 0; met 0, missed 1, no target 0; 0 / 1 = 0.0 %.
        #expect(report.contains("| **全区** | 3 | 1 | 0（0.0%） | 1（100.0%） | 0（0.0%） | 0（0.0%） | 0 | 1 | 0 | 0.0% | 轻度污染 |"))
        #expect(report.contains("无数据点位：M-01 主河上游桥、M-02 主河下游闸。"))
    }

    @Test("a station without data is 未评价, never 达标, and its row has no class")
    func noDataIsNotMet() throws {
        let report = try handReport()
        // M-01: target Ⅳ类 from MAIN in rivers.csv, no reading at all.
        #expect(report.contains("| [M-01 主河上游桥](rivers/MAIN.md) | — | Ⅳ类 | 未评价 | — | — |"))
    }

    @Test("the conclusions name the point off target with its main pollutant, and the stations to check for data")
    func conclusions() throws {
        let report = try handReport()
        let section = try #require(report.components(separatedBy: "## 八、结论与建议").last)
        #expect(section.contains("- T-01 支河口 2026-09 为Ⅳ类，未达到Ⅲ类目标，主要污染指标 氨氮（0.42）"))
        #expect(section.contains("- 核查 M-01 主河上游桥 的仪器与数据传输（2026-09 无数据）。"))
        #expect(section.contains("- 核查 M-02 主河下游闸 的仪器与数据传输（2026-09 无数据）。"))
        #expect(!section.contains("核查 T-01"), "T-01's samples are complete")
    }

    @Test("without the year before in the store, 同比 says so and compares nothing")
    func noYearBefore() throws {
        let report = try handReport { !$0.contains("2025-09") }
        #expect(report.contains("去年同期库中无可评价的数据，不作同比。"))
        #expect(!report.contains("同比（2025-09）"))
        #expect(!report.contains("| 劣Ⅴ类 | Ⅳ类 | 明显好转 |"), "no point row compares with a year the store lacks")
    }

    @Test("the classes-only evaluation a comparison reads equals the full analysis' points, rivers and district")
    func evaluationOnly() throws {
        let rows = handRows.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let (_, store) = try ingestOne(try scratchFile(longHeader + rows.joined(separator: "\n") + "\n"))
        let job = AnalysisJob(store: store, network: fixtureNetwork, timeZone: .chinaStandard)
        for label in ["2025-09", "2026-08", "2026-09"] {
            let period = try #require(PeriodParser.parse(label, timeZone: .chinaStandard))
            let (full, classes) = (try job.run(period: period), try job.evaluate(period: period))
            #expect(classes.points == full.points, "\(label)")
            #expect(classes.rivers == full.rivers && classes.district == full.district, "\(label)")
        }
    }

    @Test("the English report words the same changes in English")
    func english() throws {
        let report = try handReport(.en)
        #expect(report.contains("| [T-01 支河口](rivers/TRIB.md) | Class III | Class IV | slightly worse |"))
        #expect(report.contains("| [T-01 支河口](rivers/TRIB.md) | worse than Class V | Class IV | clearly better |"))
        #expect(report.contains("## 4. Year-on-year and period-on-period change"))
    }
}

// MARK: the demo month's structure

/// September 2026 of the simulated sample district, four-hourly at the stations to keep the test quick, ingested once
/// and reported in Chinese and English from one analysis, as `rivertrace report` writes it.
private let demoReports: Result<(zh: String, en: String, englishFiles: [String: String]), any Error> = Result {
    let folder = try scratchFolder("period-report")
    defer { removeScratch(folder) }
    let dumps = folder.appendingPathComponent("dumps").path
    guard try rivertrace(["simulate", "--network", sampleNetworkPath, "--scenario", "demo", "--start", "2026-09-01", "--days", "30",
                          "--interval", "240", "--out", dumps]).status == 0 else { throw CocoaError(.fileWriteUnknown) }
    let store = try ReadingStore.inMemory()
    _ = try IngestJob(store: store, network: sampleNetwork, options: IngestOptions()).run(paths: [dumps])
    let period = try #require(PeriodParser.parse("2026-09", timeZone: .chinaStandard))
    let input = try ReportJob(store: store, network: sampleNetwork, timeZone: .chinaStandard)
        .prepare(period: period, now: period.end.addingTimeInterval(86_400))
    let report = { (language: ReportLanguage) in ReportWriter(input: input, language: language).files()["report.md"] ?? "" }
    return (report(.zh), report(.en), ReportWriter(input: input, language: .en).files())
}

/// The rows of the Markdown table that follows the line starting with `caption` (header and alignment rows left out),
/// split into trimmed cells.
private func table(after caption: String, in report: String) -> [[String]] {
    let lines = report.components(separatedBy: "\n")
    guard let start = lines.firstIndex(where: { $0.hasPrefix(caption) }) else { return [] }
    return lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }.dropFirst(2).map { line in
        line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// The leading count of a cell like "3（9.1%）".
private func count(_ cell: String) -> Int? { Int(cell.prefix { $0.isNumber }) }

@Suite("the demo month's report")
struct DemoPeriodReportTests {
    @Test("the eight sections of a monthly report, in order, in Chinese and in English")
    func sectionsInOrder() throws {
        let (zh, en, _) = try demoReports.get()
        let zhTitles = ["# 2026-09 水质月报", "## 一、监测概况", "## 二、评价标准与方法", "## 三、监测结果", "## 四、同比与环比",
                        "## 五、超标与事件", "## 六、黑臭水体", "## 七、仪器与数据质量", "## 八、结论与建议"]
        let enTitles = ["# Water quality monthly report 2026-09", "## 1. Monitoring overview", "## 2. Standard and method", "## 3. Results",
                        "## 4. Year-on-year and period-on-period change", "## 5. Exceedances and incidents", "## 6. Black-odorous water",
                        "## 7. Instruments and data quality", "## 8. Conclusions and recommendations"]
        for (report, titles) in [(zh, zhTitles), (en, enTitles)] {
            let headings = report.components(separatedBy: "\n").filter { $0.hasPrefix("# ") || $0.hasPrefix("## ") && !$0.hasPrefix("## 概要") && !$0.hasPrefix("## Summary") }
            #expect(headings == titles)
        }
    }

    @Test("class shares: I–III + IV + V + 劣V = assessed, met + missed + no target = assessed, the district the sum of the rivers")
    func sharesAddUp() throws {
        let (zh, _, _) = try demoReports.get()
        let rows = table(after: "表 3-", in: zh.components(separatedBy: "### 类别比例与达标率").last ?? "")
        #expect(rows.count == 10, "nine rivers and the district")
        var sums = Array(repeating: 0, count: 9)
        for (index, row) in rows.enumerated() {
            let numbers = row[1...9].compactMap(count)
            try #require(numbers.count == 9, "\(row)")
            let (assessed, classes, targets) = (numbers[1], numbers[2...5].reduce(0, +), numbers[6...8].reduce(0, +))
            #expect(classes == assessed, "\(row[0])")
            #expect(targets == assessed, "\(row[0])")
            if index < rows.count - 1 {
                for column in 0..<9 { sums[column] += numbers[column] }
            } else {
                #expect(numbers == sums, "the district row is the sum of the rivers'")
                #expect(numbers[0] == 33, "the sample district has 33 points")
            }
        }
    }

    @Test("the exceedance episodes by parameter add up to the total the sentence states")
    func exceedancesAddUp() throws {
        let (zh, _, _) = try demoReports.get()
        let sentence = try #require(zh.components(separatedBy: "\n").first { $0.contains("自动站超标时段") && $0.contains("涉及") })
        let total = try #require(count(String(sentence.components(separatedBy: "自动站超标时段 ").last ?? "")))
        let parts = (sentence.components(separatedBy: "个（").dropFirst().first?.components(separatedBy: "）").first ?? "")
            .components(separatedBy: "，").compactMap { Int($0.split(separator: " ").last ?? "") }
        #expect(!parts.isEmpty)
        #expect(parts.reduce(0, +) == total)
    }

    @Test("every numbered table names the period in its caption, and every point row links to its river page")
    func tablesNameTheirSource() throws {
        let (zh, en, _) = try demoReports.get()
        let captions = zh.components(separatedBy: "\n").filter { $0.hasPrefix("表 ") } + en.components(separatedBy: "\n").filter { $0.hasPrefix("Table ") }
        #expect(captions.count >= 2 * (2 + 2 * 9 + 1), "overview 2, per river 2 × 9, class shares")
        for caption in captions { #expect(caption.contains("2026-09"), "\(caption)") }
        let pointRows = zh.components(separatedBy: "\n").filter { $0.hasPrefix("| [") && $0.contains("-0") }
        #expect(!pointRows.isEmpty)
        for row in pointRows { #expect(row.range(of: #"^\| \[[^\]]+\]\(rivers/[A-Z]+\.md\)"#, options: .regularExpression) != nil, "\(row)") }
    }

    @Test("no emoji and no NaN anywhere in the report, in either language")
    func plainText() throws {
        let (zh, en, _) = try demoReports.get()
        for report in [zh, en] {
            #expect(!report.unicodeScalars.contains { $0.properties.isEmojiPresentation })
            #expect(report.range(of: #"\b(nan|NaN|inf|infinity)\b"#, options: .regularExpression) == nil)
        }
    }

    @Test("the English report of the sample district, whose network files give every name in English, has no Chinese in any file")
    func englishOnly() throws {
        let files = try demoReports.get().englishFiles
        #expect(files.keys.contains { $0.hasPrefix("traces/") } && files.keys.contains { $0.hasPrefix("rivers/") })
        for (path, text) in files where !path.hasSuffix(".geojson") && !path.hasSuffix(".html") {
            let chinese = text.unicodeScalars.filter { (0x3000...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
            #expect(chinese.isEmpty, "Chinese in \(path): \(String(String.UnicodeScalarView(chinese.prefix(40))))")
        }
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Report
import RiverModel
import Standards
import TestSupport
import Testing

/// A two-river network with hand-set results: the report must carry these numbers, whatever the code.
private let rivers = [
    River("M", name: "主河", targetClass: .iv),
    River("T", name: "支_河*[1]", flowsInto: "M", confluenceKilometres: 4, lengthKilometres: 3, velocityMetresPerSecond: 0.2,
          targetClass: .iii),
]
private let points = [
    MonitoringPoint("M-01", name: "主河一号", riverID: "M", kilometre: 1, kind: .automatic),
    MonitoringPoint("T-01", name: "支河|口", riverID: "T", kilometre: 2),
]
private let network = Network(rivers: rivers, points: points, sources: [
    RegisteredSource(id: "S1", name: "某厂", kind: "enterprise", riverID: "M", kilometre: 3, signature: .industrial),
])
private let period = october2026

private func parameter(_ code: Parameter, mean: Double, waterClass: WaterClass, multiple: Double?) -> ParameterResult {
    ParameterResult(parameter: code, readings: 10, used: 10, censored: 0, expected: 10, completeness: 1, sufficient: true,
                    mean: mean, waterClass: waterClass, exceedanceMultiple: multiple, targetExceedanceMultiple: nil,
                    detectionLimitAboveTarget: false)
}

private let document = AnalysisDocument(
    period: period, timeZone: "Asia/Shanghai",
    points: [
        PointResult(pointID: "M-01", riverID: "M", targetClass: .iv, waterClass: .v, grade: .moderatelyPolluted,
                    meetsTarget: false, mainPollutants: [MainPollutant(parameter: .ammoniaNitrogen, exceedanceMultiple: 0.85)],
                    completeness: 0.97, insufficient: [],
                    parameters: [parameter(.ammoniaNitrogen, mean: 1.85, waterClass: .v, multiple: 0.85),
                                 parameter(.dissolvedOxygen, mean: 5.5, waterClass: .iii, multiple: nil)]),
        PointResult(pointID: "T-01", riverID: "T", targetClass: .iii, waterClass: .ii, grade: .excellent, meetsTarget: true,
                    mainPollutants: [], completeness: 1, insufficient: [],
                    parameters: [parameter(.ammoniaNitrogen, mean: 0.3, waterClass: .ii, multiple: nil)]),
    ],
    rivers: [
        GroupResult(id: "M", sections: 1, shareGood: 0, shareWorseThanV: 0, grade: .moderatelyPolluted, method: .mean,
                    waterClass: .v, mainPollutants: [.ammoniaNitrogen]),
        GroupResult(id: "T", sections: 1, shareGood: 1, shareWorseThanV: 0, grade: .excellent, method: .mean,
                    waterClass: .ii, mainPollutants: []),
    ],
    district: GroupResult(id: nil, sections: 2, shareGood: 0.5, shareWorseThanV: 0, grade: .lightlyPolluted,
                          method: .mean, waterClass: .v, mainPollutants: [.ammoniaNitrogen]),
    exceedances: [ExceedanceEpisode(pointID: "M-01", parameter: .ammoniaNitrogen, targetClass: .iv, limit: 1.5,
                                    start: period.start.addingTimeInterval(36_000), end: period.start.addingTimeInterval(46_800),
                                    peak: 2.61, readings: 4)])

private func input(previous: AnalysisDocument? = nil) -> ReportInput {
    ReportInput(document: document, previous: previous, network: network,
                series: ["M-01": [.ammoniaNitrogen: ChartSeries((0..<48).map { (period.start.addingTimeInterval(Double($0) * 3600), 1.0 + Double($0 % 5) / 4) }, period: period)]],
                quarantine: [(reason: "bad_value", count: 3)], timeZone: TimeZone.chinaStandard,
                generatedAt: period.end)
}

@Suite("the report")
struct ReportTests {
    @Test("the Chinese report carries the sections and the numbers it was given")
    func chineseStructure() throws {
        let files = ReportWriter(input: input(), language: .zh).files()
        let report = try #require(files["report.md"])
        for heading in ["# 2026-10 水质月报", "## 概要", "## 一、监测概况", "## 二、评价标准与方法", "## 三、监测结果", "## 四、同比与环比",
                        "## 五、超标与事件", "## 六、黑臭水体", "## 七、仪器与数据质量", "## 八、结论与建议"] {
            #expect(report.contains(heading), "\(heading)")
        }
        #expect(report.contains("| [M-01 主河一号](rivers/M.md) | Ⅴ类 | Ⅳ类 | 未达标 | 氨氮（0.85） | — |"))
        // The means as given, at the method's decimals (NH3-N two, DO one).
        #expect(report.contains("| [M-01 主河一号](rivers/M.md) | 5.5 | 1.85 |"))
        #expect(report.contains("全区水质轻度污染"))
        #expect(report.contains("Ⅰ–Ⅲ类 50%"))
        #expect(report.contains("| 2.61 mg/L | 1.5 mg/L |"))
        #expect(report.contains("`bad_value` 3"))
        #expect(report.contains("GB 3838-2002"))
        #expect(report.contains("(rivers/M.md)") && report.contains("(network.svg)"))
        #expect(report.contains("[map.html](map.html)") && report.contains("[network.geojson](network.geojson)"))
        #expect(files["map.html"] != nil && files["network.geojson"] != nil, "the report links only files it writes")
        #expect(files["rivers/M.md"]?.contains("(M-01-series-nh3n.svg)") == true)
        #expect(files["rivers/M.md"]?.contains("| S1 | 某厂 | 企业 | 3 | 工业废水 |") == true)
        #expect(files["rivers/M-01-series-nh3n.svg"] != nil)
        #expect(files["rivers/M-profile-nh3n.svg"] != nil)
        #expect(files["rivers/T-01-series-nh3n.svg"] == nil, "manual points get no time series chart")
    }

    @Test("the standard's limits come from the Standards module: NH3-N ≤ 0.15 … ≤ 2 mg/L, DO ≥ 7.5 … ≥ 2")
    func limitsTable() throws {
        let report = try #require(ReportWriter(input: input(), language: .zh).files()["report.md"])
        // GB 3838-2002 表1.
        #expect(report.contains("| 氨氮 (mg/L) | ≤ 0.15 | ≤ 0.5 | ≤ 1 | ≤ 1.5 | ≤ 2 |"))
        #expect(report.contains("| 溶解氧 (mg/L) | ≥ 7.5 | ≥ 6 | ≥ 5 | ≥ 3 | ≥ 2 |"))
    }

    @Test("the target verdict is words, never a symbol: no emoji in the report")
    func noEmoji() throws {
        for language in ReportLanguage.allCases {
            let report = try #require(ReportWriter(input: input(), language: language).files()["report.md"])
            #expect(!report.unicodeScalars.contains { $0.properties.isEmojiPresentation }, "\(language)")
        }
    }

    @Test("English on request")
    func english() throws {
        let report = try #require(ReportWriter(input: input(), language: .en).files()["report.md"])
        #expect(report.contains("# Water quality monthly report 2026-10"))
        #expect(report.contains("| Class V | Class IV | missed |"))
        #expect(report.contains("the district is lightly polluted"))
    }

    @Test("a quarter and a year make a quarterly and an annual report")
    func periodKinds() throws {
        for (label, zhTitle, enTitle) in [("2026-Q4", "# 2026-Q4 水质季报", "# Water quality quarterly report 2026-Q4"),
                                          ("2026", "# 2026 水质年报", "# Water quality annual report 2026")] {
            var changed = input()
            changed.document.period.label = label
            #expect(ReportWriter(input: changed, language: .zh).files()["report.md"]?.hasPrefix(zhTitle + "\n") == true)
            #expect(ReportWriter(input: changed, language: .en).files()["report.md"]?.hasPrefix(enTitle + "\n") == true)
        }
    }

    @Test("names with Markdown characters are escaped")
    func escaping() throws {
        let report = try #require(ReportWriter(input: input(), language: .zh).files()["report.md"])
        #expect(report.contains("支\\_河\\*\\[1\\]"))
        #expect(report.contains("支河\\|口"))
        #expect(escapeMarkdown("a|b_c") == "a\\|b\\_c")
    }

    @Test("with fewer than five points the change follows the status: one grade, two grades, none")
    func changes() throws {
        var before = document
        before.period = EvaluationPeriod(label: "2026-09", start: period.start.addingTimeInterval(-30 * 86_400), end: period.start)
        before.district.grade = .excellent  // 优 → 轻度污染: two grades worse
        before.rivers[0].grade = .moderatelyPolluted
        before.rivers[1].grade = .good  // 良好 → 优: one grade better
        let report = try #require(ReportWriter(input: input(previous: before), language: .zh).files()["report.md"])
        #expect(report.contains("环比（2026-09）：全区水质明显变差（按水质状况）"))
        #expect(report.contains("| 中度污染 | 中度污染 | — | 无明显变化（按水质状况） |"))
        #expect(report.contains("| 良好 | 优 | — | 有所好转（按水质状况） |"))
        #expect(report.contains("去年同期库中无可评价的数据，不作同比。"))
    }

    @Test("with five points or more in both periods the change follows ΔG − ΔD of the shares")
    func shareChange() throws {
        var now = document
        var before = document
        before.period = EvaluationPeriod(label: "2026-09", start: period.start.addingTimeInterval(-30 * 86_400), end: period.start)
        // I–III 40 % → 60 % (ΔG +20), 劣V 20 % → 10 % (ΔD −10): ΔG − ΔD = +30, 明显好转, though both grades are 轻度污染.
        before.district = GroupResult(id: nil, sections: 5, shareGood: 0.4, shareWorseThanV: 0.2, grade: .lightlyPolluted,
                                      method: .proportion, waterClass: nil, mainPollutants: [])
        now.district = GroupResult(id: nil, sections: 10, shareGood: 0.6, shareWorseThanV: 0.1, grade: .lightlyPolluted,
                                   method: .proportion, waterClass: nil, mainPollutants: [])
        var given = input(previous: before)
        given.document = now
        let report = try #require(ReportWriter(input: given, language: .zh).files()["report.md"])
        #expect(report.contains("| 轻度污染 | 轻度污染 | +30.0 | 明显好转 |"))
    }

    @Test("every SVG is well-formed XML with a title")
    func svgWellFormed() throws {
        for (path, content) in ReportWriter(input: input(), language: .zh).files() where path.hasSuffix(".svg") {
            let parser = XMLParser(data: Data(content.utf8))
            #expect(parser.parse(), "\(path): \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(content.contains("<title>"))
        }
    }
}

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
                series: ["M-01": [.ammoniaNitrogen: (0..<48).map { (period.start.addingTimeInterval(Double($0) * 3600), 1.0 + Double($0 % 5) / 4) }]],
                quarantine: [(reason: "bad_value", count: 3)], timeZone: TimeZone.chinaStandard,
                generatedAt: period.end)
}

@Suite("the report")
struct ReportTests {
    @Test("the Chinese report carries the sections and the numbers it was given")
    func chineseStructure() throws {
        let files = ReportWriter(input: input(), language: .zh).files()
        let report = try #require(files["report.md"])
        for heading in ["# 水质监测报告 2026-10", "## 概要", "## 河流水质", "## 点位评价", "## 与上期比较", "## 超标时段",
                        "## 数据完整性与隔离数据", "## 评价方法"] {
            #expect(report.contains(heading), "\(heading)")
        }
        #expect(report.contains("🟧 Ⅴ类 | Ⅳ类 | ❌ 未达标 | 氨氮（0.85）"))
        #expect(report.contains("全区水质轻度污染"))
        #expect(report.contains("Ⅰ–Ⅲ类 50%"))
        #expect(report.contains("| 2.61 | 1.5 |"))
        #expect(report.contains("`bad_value` 3"))
        #expect(report.contains("GB 3838-2002"))
        #expect(report.contains("(rivers/M.md)") && report.contains("(network.svg)"))
        #expect(files["rivers/M.md"]?.contains("(M-01-series-nh3n.svg)") == true)
        #expect(files["rivers/M.md"]?.contains("| S1 | 某厂 | 企业 | 3 | 工业废水 |") == true)
        #expect(files["rivers/M-01-series-nh3n.svg"] != nil)
        #expect(files["rivers/M-profile-nh3n.svg"] != nil)
        #expect(files["rivers/T-01-series-nh3n.svg"] == nil, "manual points get no time series chart")
    }

    @Test("English on request")
    func english() throws {
        let report = try #require(ReportWriter(input: input(), language: .en).files()["report.md"])
        #expect(report.contains("# Water quality report 2026-10"))
        #expect(report.contains("Class V | Class IV | ❌ no"))
        #expect(report.contains("the district is lightly polluted"))
    }

    @Test("names with Markdown characters are escaped")
    func escaping() throws {
        let report = try #require(ReportWriter(input: input(), language: .zh).files()["report.md"])
        #expect(report.contains("支\\_河\\*\\[1\\]"))
        #expect(report.contains("支河\\|口"))
        #expect(escapeMarkdown("a|b_c") == "a\\|b\\_c")
    }

    @Test("grade changes from the previous period follow the one-grade/two-grade rule")
    func changes() throws {
        var before = document
        before.period = EvaluationPeriod(label: "2026-09", start: period.start.addingTimeInterval(-30 * 86_400), end: period.start)
        before.district.grade = .excellent  // 优 → 轻度污染: two grades worse
        before.rivers[0].grade = .moderatelyPolluted
        before.rivers[1].grade = .good  // 良好 → 优: one grade better
        let report = try #require(ReportWriter(input: input(previous: before), language: .zh).files()["report.md"])
        #expect(report.contains("与上期（2026-09）相比，全区水质明显变差"))
        #expect(report.contains("| 主河 | 中度污染 | 中度污染 | 无明显变化 |"))
        #expect(report.contains("有所好转"))
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

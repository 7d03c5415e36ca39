import Foundation
@testable import Report
import RiverModel
import Standards
import Statistics
import TestSupport
import Testing
import Trace

// One river A (10 km, target IV) with three points and a tributary T, every name with an English form; the
// ammonia means are chosen by hand: A-01 0.5, A-02 1.7, A-03 2.0 mg/L (GB 3838-2002 NH3-N limits: III 1.0,
// IV 1.5, V 2.0 — so II, V, V).
private let rivers = [
    River("A", name: "甲河", lengthKilometres: 10, targetClass: .iv, englishName: "Jia River"),
    River("T", name: "乙浜", flowsInto: "A", confluenceKilometres: 6, lengthKilometres: 2, targetClass: .iv, englishName: "Yi Creek"),
]
private let points = [
    MonitoringPoint(id: "A-01", name: "甲河源头", riverID: "A", kilometre: 1, latitude: nil, longitude: nil, ownTargetClass: nil,
                    kind: .automatic, englishName: "Jia source"),
    MonitoringPoint(id: "A-02", name: "甲河二桥", riverID: "A", kilometre: 4, latitude: nil, longitude: nil, ownTargetClass: nil,
                    kind: .manual, englishName: "Jia 2nd bridge"),
    MonitoringPoint(id: "A-03", name: "甲河出口", riverID: "A", kilometre: 8, latitude: nil, longitude: nil, ownTargetClass: nil,
                    kind: .automatic, englishName: "Jia outlet"),
    MonitoringPoint(id: "T-01", name: "乙浜口", riverID: "T", kilometre: 1.5, latitude: nil, longitude: nil, ownTargetClass: nil,
                    kind: .manual, englishName: "Yi mouth"),
]
private let sources = [
    RegisteredSource(id: "S1", name: "某电镀厂", kind: "enterprise", riverID: "A", kilometre: 2, signature: .industrial,
                     englishName: "Example Plating Works"),
    RegisteredSource(id: "S2", name: "甲河泵站", kind: "pump_station", riverID: "A", kilometre: 7, signature: .mixed,
                     englishName: "Jia pump station"),
]
private let chiefs = [RiverChief(riverID: "A", name: "王建华", level: .district, phone: "0519-1", englishName: "Wang Jianhua")]
private let measures = [
    // Deadline inside October, not done: overdue at the period's end (2026-11-01 00:00 +08).
    RiverMeasure(id: "M1", riverID: "A", description: "截污纳管", englishDescription: "Intercept the sewage",
                 responsibleUnit: "街道城建办", englishResponsibleUnit: "Construction office",
                 deadline: CalendarDay(year: 2026, month: 10, day: 15), recordedStatus: .inProgress),
    RiverMeasure(id: "M2", riverID: "A", description: "清淤", englishDescription: "Dredging", responsibleUnit: "街道水利站",
                 englishResponsibleUnit: "Water station", deadline: CalendarDay(year: 2026, month: 11, day: 30), recordedStatus: .planned),
    RiverMeasure(id: "M3", riverID: "A", description: "生态补水", englishDescription: "Ecological water supply", responsibleUnit: nil,
                 deadline: CalendarDay(year: 2026, month: 6, day: 30), recordedStatus: .done),
]
private let network = Network(rivers: rivers, points: points, sources: sources, chiefs: chiefs, measures: measures)
private let period = october2026

private func ammonia(_ mean: Double, _ waterClass: WaterClass, overTarget: Double?) -> ParameterResult {
    ParameterResult(parameter: .ammoniaNitrogen, readings: 10, used: 10, censored: 0, expected: 10, completeness: 1, sufficient: true,
                    mean: mean, waterClass: waterClass, exceedanceMultiple: mean > 1 ? (mean - 1) / 1 : nil,
                    targetExceedanceMultiple: overTarget, detectionLimitAboveTarget: false)
}

private func point(_ id: String, river: String = "A", _ mean: Double, _ waterClass: WaterClass, overTarget: Double?) -> PointResult {
    PointResult(pointID: id, riverID: river, targetClass: .iv, waterClass: waterClass, grade: nil, meetsTarget: waterClass <= .iv,
                mainPollutants: waterClass > .iii ? [MainPollutant(parameter: .ammoniaNitrogen, exceedanceMultiple: mean - 1)] : [],
                completeness: 1, insufficient: [], parameters: [ammonia(mean, waterClass, overTarget: overTarget)])
}

private func document() -> AnalysisDocument {
    var document = AnalysisDocument(
        period: period, timeZone: "Asia/Shanghai",
        points: [point("A-01", 0.5, .ii, overTarget: nil),
                 // (1.7 − 1.5) / 1.5 = 0.133 and (2.0 − 1.5) / 1.5 = 0.333 over the Class IV limit.
                 point("A-02", 1.7, .v, overTarget: 0.2 / 1.5),
                 point("A-03", 2.0, .v, overTarget: 0.5 / 1.5),
                 point("T-01", river: "T", 1.2, .iv, overTarget: nil)],
        rivers: [GroupResult(id: "A", sections: 3, shareGood: 1.0 / 3, shareWorseThanV: 0, grade: .moderatelyPolluted, method: .mean,
                             waterClass: .v, mainPollutants: [.ammoniaNitrogen]),
                 GroupResult(id: "T", sections: 1, shareGood: 0, shareWorseThanV: 0, grade: .lightlyPolluted, method: .mean,
                             waterClass: .iv, mainPollutants: [.ammoniaNitrogen])],
        district: GroupResult(id: nil, sections: 4, shareGood: 0.25, shareWorseThanV: 0, grade: .moderatelyPolluted, method: .mean,
                              waterClass: .v, mainPollutants: [.ammoniaNitrogen]),
        exceedances: [])
    var falling = SeriesTrend(pointID: "A-01", parameter: .ammoniaNitrogen, method: .seasonalKendall, firstMonth: "2023-11",
                              lastMonth: "2026-10", months: 36, assessed: true)
    falling.trend = .decreasing
    var thin = SeriesTrend(pointID: "A-03", parameter: .ammoniaNitrogen, method: .seasonalKendall, firstMonth: "2025-11",
                           lastMonth: "2026-10", months: 12, assessed: false, reason: "fewer than 3 years")
    thin.reasonChinese = "不足 3 年"
    document.trends = [falling, thin]
    return document
}

private func previousDocument() -> AnalysisDocument {
    var before = document()
    before.period = EvaluationPeriod(label: "2026-09", start: period.start.addingTimeInterval(-30 * 86_400), end: period.start)
    before.points[1] = point("A-02", 1.4, .iv, overTarget: nil)  // IV, met → now V, missed
    before.rivers[0].grade = .lightlyPolluted
    return before
}

private func input(_ network: Network = network, previous: AnalysisDocument? = nil, document: AnalysisDocument = document())
    -> ReportInput {
    let hours = (0..<48).map { period.start.addingTimeInterval(Double($0) * 3_600) }
    var input = ReportInput(document: document, previous: previous, network: network,
                            series: ["A-01": [.ammoniaNitrogen: ChartSeries(hours.map { ($0, 0.5) }, period: period),
                                               .dissolvedOxygen: ChartSeries(hours.map { ($0, 7.0) }, period: period)],
                                     "A-03": [.ammoniaNitrogen: ChartSeries(hours.map { ($0, 2.0) }, period: period)]],
                            quarantine: [], timeZone: .chinaStandard, generatedAt: period.end)
    input.traceSeries = ["A-03": [.conductivity: hours.map { ($0, 600.0) }], "A-01": [.conductivity: hours.map { ($0, 590.0) }]]
    return input
}

/// A trace of an event at A-03 to the stretch A-02 → A-03, as `analyze --json` writes it.
private func incident() throws -> TraceResult {
    let json = """
    {"point_id": "A-03", "event_start": "2026-10-05T02:00:00Z", "peak_time": "2026-10-05T04:00:00Z", "verdict": "source",
     "rose": ["cond"], "fell": [],
     "suspect_segment": {"river_id": "A", "from_point_id": "A-02", "to_point_id": "A-03", "from_km": 4, "to_km": 8},
     "alternative_segments": [], "candidates": [{"source_id": "S2", "score": 0.8, "reasons": [], "place": "suspect_stretch"}],
     "confidence": 0.7,
     "evidence": [{"point_id": "A-03", "role": "event", "parameter": "cond", "nominal_lag_hours": 0, "lag_hours": 0,
                   "window_start": "2026-10-05T02:00:00Z", "window_end": "2026-10-05T06:00:00Z"},
                  {"point_id": "A-01", "role": "clean", "parameter": "cond", "nominal_lag_hours": 6, "lag_hours": 6,
                   "window_start": "2026-10-04T18:00:00Z", "window_end": "2026-10-05T06:00:00Z"}],
     "walked": ["A-03", "A-01"]}
    """
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(TraceResult.self, from: Data(json.utf8))
}

private func page(_ language: ReportLanguage, _ input: ReportInput = input()) throws -> String {
    try #require(ReportWriter(input: input, language: language).files()["rivers/A.md"])
}

/// Characters of Chinese text (CJK ideographs and punctuation, full-width forms) and the Roman-numeral signs of
/// Chinese class labels (Ⅳ).
private func chineseScalars(_ text: String) -> [Unicode.Scalar] {
    text.unicodeScalars.filter { scalar in
        switch scalar.value {
        case 0x2160...0x2188, 0x2E80...0x9FFF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF, 0x20000...0x3FFFD: true
        default: false
        }
    }
}

/// Emoji: pictographs shown as emoji by default, or any emoji character outside Latin-1 (where the digits, # and *
/// that Unicode also marks as emoji live), or the emoji presentation selector.
private func emojiScalars(_ text: String) -> [Unicode.Scalar] {
    text.unicodeScalars.filter { scalar in
        scalar.properties.isEmojiPresentation || (scalar.properties.isEmoji && scalar.value > 0xFF) || scalar.value == 0xFE0F
    }
}

@Suite("一河一策 river pages")
struct RiverPlanPageTests {
    @Test("pollution added by stretch: the rise of the main pollutant between consecutive points, largest first")
    func stretchesRanked() throws {
        let writer = ReportWriter(input: input(), language: .zh)
        let rises = writer.stretchRises(network.river("A")!, parameter: .ammoniaNitrogen)
        // By hand: A-01 → A-02 1.7 − 0.5 = 1.2 mg/L (120 % of the III limit 1.0); A-02 → A-03 2.0 − 1.7 = 0.3 (30 %).
        #expect(rises.map { "\($0.from.id)>\($0.to.id)" } == ["A-01>A-02", "A-02>A-03"])
        #expect(abs(rises[0].added - 1.2) < 1e-9 && abs(rises[1].added - 0.3) < 1e-9)
        #expect(abs((rises[0].addedOverLimit ?? 0) - 1.2) < 1e-9)
        let text = try page(.zh)
        let first = try #require(text.range(of: "| A-01 甲河源头 → A-02 甲河二桥 | 1–4 | 0.5 mg/L | 1.7 mg/L | 1.2 mg/L | 120% | — | 某电镀厂 (S1) |"))
        let second = try #require(text.range(of: "| A-02 甲河二桥 → A-03 甲河出口 | 4–8 | 1.7 mg/L | 2 mg/L | 0.3 mg/L | 30% | 乙浜 | 甲河泵站 (S2) |"))
        #expect(first.lowerBound < second.lowerBound)
    }

    @Test("dissolved oxygen adds pollution where it falls")
    func oxygenFalls() {
        var document = document()
        let oxygen = [("A-01", 8.0), ("A-02", 6.0), ("A-03", 6.5)]
        for (index, (_, mean)) in oxygen.enumerated() {
            document.points[index].parameters = [ParameterResult(
                parameter: .dissolvedOxygen, readings: 10, used: 10, censored: 0, expected: 10, completeness: 1, sufficient: true,
                mean: mean, waterClass: .ii, exceedanceMultiple: nil, targetExceedanceMultiple: nil, detectionLimitAboveTarget: false)]
        }
        let rises = ReportWriter(input: input(document: document), language: .zh)
            .stretchRises(network.river("A")!, parameter: .dissolvedOxygen)
        // 8.0 → 6.0 is 2.0 mg/L lost; 6.0 → 6.5 recovers and is no problem.
        #expect(rises.map { $0.from.id } == ["A-01"])
        #expect(rises.first?.added == 2.0)
    }

    @Test("persistent exceedances are ranked by the exceedance multiple against the target, with means, limits and units")
    func exceedancesRanked() throws {
        let text = try page(.zh)
        let worst = try #require(text.range(of: "1. A-03 甲河出口：目标 Ⅳ类，本期 Ⅴ类；氨氮 超标 0.33 倍（均值 2 mg/L，目标限值 1.5 mg/L）。"))
        let next = try #require(text.range(of: "2. A-02 甲河二桥：目标 Ⅳ类，本期 Ⅴ类；氨氮 超标 0.13 倍（均值 1.7 mg/L，目标限值 1.5 mg/L）。"))
        #expect(worst.lowerBound < next.lowerBound)
        #expect(!text.contains("A-01 甲河源头：目标"), "A-01 meets its target")
    }

    @Test("a measure past its deadline and not done is overdue at the period's end, whatever the file says")
    func overdueMeasure() throws {
        let text = try page(.zh)
        #expect(text.contains("共 3 项（状态为 river_plans.csv 的现行记录；是否逾期按本期末 2026-10-31 判断）：逾期 1，计划 1，已完成 1。"))
        #expect(text.contains("| M1 | 截污纳管 | 街道城建办 | 2026-10-15 | 逾期（登记为进行中，完成时限已过） |"))
        #expect(text.contains("| M2 | 清淤 | 街道水利站 | 2026-11-30 | 计划 |"))
        #expect(text.contains("| M3 | 生态补水 | — | 2026-06-30 | 已完成 |"))
    }

    @Test("the river chief is listed with level and phone")
    func chief() throws {
        #expect(try page(.zh).contains("| 区级河长 | 王建华 | 0519-1 |"))
        #expect(try page(.en).contains("| district river chief | Wang Jianhua | 0519-1 |"))
    }

    @Test("without plan files the page says no plan is on file rather than inventing one")
    func noPlanOnFile() throws {
        let bare = Network(rivers: rivers, points: points, sources: sources)
        let text = try page(.en, input(bare))
        #expect(text.contains("No plan on file: the network has no river_plans.csv, so no measures are listed."))
        #expect(text.contains("No river chiefs on file: the network has no river_chiefs.csv."))
    }

    @Test("class and trend per point: a significant trend, none assessed with the reason, no series at all")
    func trends() throws {
        let text = try page(.zh)
        #expect(text.contains("| A-01 | 甲河源头 | 1 | Ⅳ类 | Ⅱ类 | 达标 | — | — | 氨氮↓好转 |"))
        #expect(text.contains("| A-02 | 甲河二桥 | 4 | Ⅳ类 | Ⅴ类 | 未达标 | 氨氮（0.70） | — | 未评价 |"))
        #expect(text.contains("| A-03 | 甲河出口 | 8 | Ⅳ类 | Ⅴ类 | 未达标 | 氨氮（1.00） | — | 未评价 |"))
        #expect(text.contains("长期趋势未评价的原因：无长期序列（A-02）；不足 3 年（A-03）。"))
    }

    @Test("what changed since the last report, in the evaluation method's words as in the report: per point and the river's status")
    func changedSinceLastReport() throws {
        let text = try page(.zh, input(previous: previousDocument()))
        // Three points (under five): the river is judged by its status, 轻度 → 中度 one step worse.
        #expect(text.contains("河流水质状况：2026-09 轻度污染 → 2026-10 中度污染，有所变差（按水质状况）。"))
        // A point by its class's status: Ⅳ类 轻度污染 → Ⅴ类 中度污染 is one step, 有所变差; Ⅱ类 → Ⅱ类 无明显变化.
        #expect(text.contains("| A-02 甲河二桥 | Ⅳ类 | Ⅴ类 | 有所变差 | 达标 → 未达标 |"))
        #expect(text.contains("| A-01 甲河源头 | Ⅱ类 | Ⅱ类 | 无明显变化 | 达标 → 达标 |"))
    }

    @Test("the incidents on the river link their trace-back reports")
    func incidents() throws {
        var document = document()
        document.traces = [try incident()]
        let text = try page(.zh, input(document: document))
        #expect(text.contains("(../traces/A-03-20261005-1000.md)"))
    }

    @Test("English names under --lang en, the Chinese name where no English one is given")
    func nameFallback() throws {
        var named = points
        named[1].englishName = nil
        let text = try page(.en, input(Network(rivers: rivers, points: named, sources: sources, chiefs: chiefs, measures: measures)))
        #expect(text.hasPrefix("# Jia River (A) — river plan 2026-10"))
        #expect(text.contains("| A-01 | Jia source |"))
        #expect(text.contains("| A-02 | 甲河二桥 |"))
        #expect(text.contains("Intercept the sewage"))
        #expect(ReportLanguage.zh.name(of: rivers[0]) == "甲河" && ReportLanguage.en.name(of: rivers[0]) == "Jia River")
    }

    @Test("every chart and every river page is free of Chinese under --lang en when every name has an English form")
    func englishOnly() throws {
        var document = document()
        document.traces = [try incident()]
        let files = ReportWriter(input: input(previous: previousDocument(), document: document), language: .en).files()
        let checked = files.filter { $0.key.hasSuffix(".svg") || $0.key.hasPrefix("rivers/") }
        // Each chart kind: the network and trace schematics, the class shares, profiles, series, the aligned chart.
        for kind in ["network.svg", "class-shares.svg", "-network.svg", "-aligned.svg", "-profile-nh3n.svg", "-series-nh3n.svg", "rivers/A.md"] {
            #expect(checked.keys.contains { $0.hasSuffix(kind) }, "\(kind)")
        }
        for (path, content) in checked {
            let chinese = chineseScalars(content)
            #expect(chinese.isEmpty, "\(path): \(String(String.UnicodeScalarView(chinese.prefix(20))))")
        }
    }

    @Test("no generated file holds an emoji (the main report's point table aside, rewritten separately)")
    func noEmoji() throws {
        var document = document()
        document.traces = [try incident()]
        for language in ReportLanguage.allCases {
            for (path, content) in ReportWriter(input: input(previous: previousDocument(), document: document), language: language).files()
                where path != "report.md" {
                let emoji = emojiScalars(content)
                #expect(emoji.isEmpty, "\(path): \(String(String.UnicodeScalarView(emoji.prefix(10))))")
            }
        }
    }

    @Test("every SVG text asks for the CJK font stack with a generic fallback")
    func fontStack() throws {
        for (path, content) in ReportWriter(input: input(), language: .zh).files() where path.hasSuffix(".svg") {
            let texts = content.components(separatedBy: "<text ").dropFirst()
            #expect(!texts.isEmpty)
            #expect(texts.allSatisfy { $0.contains("font-family=\"\(SVGCanvas.fontStack)\"") }, "\(path)")
        }
        #expect(SVGCanvas.fontStack.contains("'Noto Sans CJK SC'") && SVGCanvas.fontStack.hasSuffix(",sans-serif"))
    }
}

@Suite("class-share chart")
struct ClassShareChartTests {
    @Test("printed shares add up to 100 % per bar (largest remainders)", arguments: [
        // counts (I–III, IV, V, 劣V) → percentages, by hand: 1/3 each = 33.3 → 33 + the one left to the first;
        // 2,1,1,3 of 7 = 28.57, 14.29, 14.29, 42.86 → floors 28, 14, 14, 42 (98) + 1 to the largest remainders (.86, .57).
        ([1, 1, 1, 0], [34, 33, 33, 0]),
        ([2, 1, 1, 3], [29, 14, 14, 43]),
        ([0, 0, 0, 5], [0, 0, 0, 100]),
    ])
    func shares(counts: [Int], expected: [Int]) {
        let bar = ClassShareChart.Bar(label: "R", counts: counts)
        #expect(bar.percentages == expected)
        #expect(bar.percentages.reduce(0, +) == 100)
    }

    @Test("one bar per river and the district's, counting the evaluated points of each")
    func bars() throws {
        let writer = ReportWriter(input: input(), language: .en)
        let bars = writer.classShareBars()
        // A: II, V, V → I–III 1, V 2; T: IV 1; district: 1, 1, 2, 0.
        #expect(bars.map(\.label) == ["Jia River", "Yi Creek", "District"])
        #expect(bars.map(\.counts) == [[1, 0, 2, 0], [0, 1, 0, 0], [1, 1, 2, 0]])
        #expect(bars.allSatisfy { $0.percentages.reduce(0, +) == 100 })
        let svg = try #require(writer.files()[ReportWriter.classShareChart])
        for share in ["33%", "67%", "100%", "25%", "50%"] { #expect(svg.contains(">\(share)</text>"), "\(share)") }
    }
}

@Suite("一河一策 river pages: the pollutant ranked along the river")
struct LeadPollutantTests {
    @Test("a river whose grade names no main pollutant ranks the one its points name")
    func fromPoints() throws {
        var document = document()
        document.rivers[0].mainPollutants = []
        // A-02 and A-03 both name NH3-N (ammonia), so the stretches are still ranked by it.
        let writer = ReportWriter(input: input(document: document), language: .zh)
        #expect(writer.leadPollutant(network.river("A")!, group: document.rivers[0]) == .ammoniaNitrogen)
        #expect(try page(.zh, input(document: document)).contains("| 1.2 mg/L | 120% |"))
    }

    @Test("a river with no parameter worse than Class III says so and ranks nothing")
    func none() throws {
        var document = document()
        document.rivers[0].mainPollutants = []
        for index in 0..<3 { document.points[index].mainPollutants = [] }
        let text = try page(.zh, input(document: document))
        #expect(text.contains("本期本河没有点位有劣于Ⅲ类的指标（或无数据），不计算沿程增量。"))
        #expect(!text.contains("| 增量 |"))
    }
}

@Suite("一河一策 river pages: user text")
struct RiverPlanUserTextTests {
    @Test("English names and plan text are escaped like the Chinese ones: Markdown on the page, XML in the charts")
    func escaped() throws {
        var hostileRivers = rivers
        hostileRivers[0].englishName = "Jia|River <b>"
        let hostileMeasures = [RiverMeasure(id: "M1", riverID: "A", description: "清淤", englishDescription: "dredge [here](x)",
                                            recordedStatus: .planned)]
        let files = ReportWriter(input: input(Network(rivers: hostileRivers, points: points, sources: sources, chiefs: chiefs,
                                                      measures: hostileMeasures)), language: .en).files()
        let text = try #require(files["rivers/A.md"])
        #expect(text.hasPrefix("# Jia\\|River \\<b\\> (A)"))
        #expect(text.contains("dredge \\[here\\]\\(x\\)"))
        let profile = try #require(files["rivers/A-profile-nh3n.svg"])
        #expect(profile.contains("Jia|River &lt;b&gt;") && !profile.contains("<b>"))
    }
}

import RiverModel
import Testing

@Suite("river model")
struct RiverModelTests {
    @Test("target classes in every spelling the network files use", arguments: [
        ("I", WaterClass.i), ("1", .i), ("Ⅰ", .i), ("II", .ii), ("Ⅱ类", .ii), ("iii", .iii), ("3", .iii),
        ("Ⅳ", .iv), ("IV类", .iv), ("V", .v), ("5", .v), ("Ⅴ", .v), ("Class III", .iii),
    ])
    func targetClasses(text: String, expected: WaterClass) {
        #expect(WaterClass(targetText: text) == expected)
    }

    @Test("not a target class", arguments: ["VI", "0", "6", "劣V", "", "A"])
    func notTargetClasses(text: String) {
        #expect(WaterClass(targetText: text) == nil)
    }

    @Test("classes order from best to worse than V")
    func ordering() {
        #expect(WaterClass.i < .ii && WaterClass.v < .worseThanV)
        #expect(WaterClass.worseThanV.chineseName == "劣Ⅴ类")
    }

    @Test("parameters by code, English and Chinese name", arguments: [
        ("nh3n", Parameter.ammoniaNitrogen), ("NH3-N", .ammoniaNitrogen), ("氨氮", .ammoniaNitrogen),
        ("CODMn", .permanganateIndex), ("高锰酸盐指数", .permanganateIndex), ("溶解氧", .dissolvedOxygen),
        ("DO", .dissolvedOxygen), ("Chl-a", .chlorophyllA), ("叶绿素α", .chlorophyllA), ("透明度", .transparency),
        ("ＴＰ", .totalPhosphorus), ("water temperature", .temperature),
    ])
    func parameterNames(text: String, expected: Parameter) {
        #expect(Parameter.named(text) == expected)
    }

    @Test("every parameter has a canonical unit of its own dimension and a round-trip code")
    func canonicalUnits() {
        for parameter in Parameter.allCases {
            #expect(Parameter.named(parameter.code) == parameter)
            #expect(MeasurementUnit.named(parameter.canonicalUnit.rawValue) == parameter.canonicalUnit)
        }
    }

    @Test("the river tree lists each river before its tributaries")
    func treeOrder() {
        let rivers = [
            River(id: "T2", name: "", flowsInto: "M", confluenceKilometres: 8, lengthKilometres: 2,
                  velocityMetresPerSecond: 0.2, targetClass: nil),
            River(id: "M", name: "", flowsInto: nil, confluenceKilometres: nil, lengthKilometres: 10,
                  velocityMetresPerSecond: 0.3, targetClass: .iv),
            River(id: "S", name: "", flowsInto: "T1", confluenceKilometres: 1, lengthKilometres: 1,
                  velocityMetresPerSecond: 0.1, targetClass: nil),
            River(id: "T1", name: "", flowsInto: "M", confluenceKilometres: 2, lengthKilometres: 3,
                  velocityMetresPerSecond: 0.2, targetClass: nil),
        ]
        let network = Network(rivers: rivers, points: [], sources: [])
        #expect(network.riversInTreeOrder.map(\.id) == ["M", "T1", "S", "T2"])
    }
}

@Suite("civil calendar")
struct CivilCalendarTests {
    @Test("day numbers against Python's date.toordinal() − 719163", arguments: [
        (1970, 1, 1, 0), (2000, 2, 29, 11_016), (2026, 10, 8, 20_734), (1988, 6, 1, 6_726), (1969, 12, 31, -1),
    ])
    func days(year: Int, month: Int, day: Int, expected: Int) {
        #expect(CivilCalendar.days(year: year, month: month, day: day) == expected)
        #expect(CivilCalendar.date(days: expected) == (year, month, day))
    }

    @Test("month lengths, leap years included")
    func monthLengths() {
        #expect(CivilCalendar.daysIn(month: 2, year: 2024) == 29)
        #expect(CivilCalendar.daysIn(month: 2, year: 1900) == 28)
        #expect(CivilCalendar.daysIn(month: 2, year: 2000) == 29)
        #expect(CivilCalendar.daysIn(month: 4, year: 2026) == 30)
    }
}

import Foundation
import Ingest
import RiverModel
import TestSupport
import Testing

/// The network of NetworkLoaderTests with the river-plan files written beside it.
private func planFolder(chiefs: String? = nil, plans: String? = nil) throws -> String {
    let directory = try networkFolder(rivers: goodRivers, points: goodPoints)
    if let chiefs { try chiefs.write(toFile: directory + "/river_chiefs.csv", atomically: true, encoding: .utf8) }
    if let plans { try plans.write(toFile: directory + "/river_plans.csv", atomically: true, encoding: .utf8) }
    return directory
}

private let planRows = """
    measure_id,river_id,description,description_en,responsible_unit,deadline,status
    M1,MAIN,截污纳管,Intercept the sewage,街道城建办,2026-12-31,in_progress
    M2,TRIB,清淤,,街道水利站,2026-08,已完成
    M3,MAIN,生态补水,Ecological water supply,,,planned
    """

private func problems(chiefs: String? = nil, plans: String? = nil) throws -> [NetworkProblem] {
    do {
        _ = try NetworkLoader.load(directory: planFolder(chiefs: chiefs, plans: plans))
    } catch let error as NetworkError {
        return error.problems
    }
    Issue.record("the network loaded although it is broken")
    return []
}

@Suite("river plan files")
struct RiverPlanLoaderTests {
    @Test("river_plans.csv rows load with their status, deadline and English description")
    func goodPlans() throws {
        let network = try NetworkLoader.load(directory: planFolder(plans: planRows))
        let measures = try #require(network.measures)
        #expect(measures.map(\.id) == ["M1", "M2", "M3"])
        #expect(measures[0].recordedStatus == .inProgress && measures[1].recordedStatus == .done && measures[2].recordedStatus == .planned)
        #expect(measures[0].deadline == CalendarDay(year: 2026, month: 12, day: 31))
        // A month alone means its last day: August has 31.
        #expect(measures[1].deadline == CalendarDay(year: 2026, month: 8, day: 31))
        #expect(measures[2].deadline == nil && measures[2].responsibleUnit == nil)
        #expect(measures[0].englishDescription == "Intercept the sewage" && measures[1].englishDescription == nil)
    }

    @Test("a bad status is named with its file, line and column")
    func badStatus() throws {
        let found = try problems(plans: planRows.replacingOccurrences(of: ",planned", with: ",maybe"))
        #expect(found.count == 1)
        #expect(found.first?.file.hasSuffix("river_plans.csv") == true)
        #expect(found.first?.line == 4)
        #expect(found.first?.column == "status")
        #expect(found.first?.message.contains("\"maybe\"") == true)
    }

    @Test("an impossible deadline is refused")
    func badDeadline() throws {
        let found = try problems(plans: planRows.replacingOccurrences(of: "2026-12-31", with: "2026-02-30"))
        #expect(found.map(\.column) == ["deadline"])
        #expect(found.first?.line == 2)
    }

    @Test("a measure on an unknown river is refused")
    func unknownRiver() throws {
        let found = try problems(plans: planRows.replacingOccurrences(of: "M2,TRIB", with: "M2,NOWHERE"))
        #expect(found.map(\.column) == ["river_id"])
    }

    @Test("without the plan files the network loads with no plans rather than empty ones")
    func missingFiles() throws {
        let network = try NetworkLoader.load(directory: planFolder())
        #expect(network.measures == nil)
        #expect(network.chiefs == nil)
    }

    @Test("river chiefs load with their level in Chinese or as a code")
    func chiefs() throws {
        let network = try NetworkLoader.load(directory: planFolder(chiefs: """
            river_id,name,level,phone
            MAIN,王建华,区级,0519-1
            MAIN,陈立新,subdistrict,
            """))
        let chiefs = try #require(network.chiefs)
        #expect(chiefs.map(\.level) == [.district, .subdistrict])
        #expect(chiefs[0].phone == "0519-1" && chiefs[1].phone == nil)
    }

    @Test("a bad chief level is named with its line and column")
    func badLevel() throws {
        let found = try problems(chiefs: "river_id,name,level\nMAIN,王建华,省长\n")
        #expect(found.map(\.column) == ["level"])
        #expect(found.first?.line == 2)
    }

    @Test("name_en columns give rivers, points and sources their English names; absent or blank is none")
    func englishNames() throws {
        let directory = try networkFolder(
            rivers: "river_id,name,length_km,name_en\nMAIN,李大河,12,Lida River\nB,小浜,3,\n",
            points: "point_id,name,river_id,km,name_en\nM-01,李大河源头,MAIN,0.5,Lida River source\n",
            sources: "source_id,name,river_id,km\nS1,某厂,MAIN,2\n")
        let network = try NetworkLoader.load(directory: directory)
        #expect(network.river("MAIN")?.englishName == "Lida River")
        #expect(network.river("B")?.englishName == nil)
        #expect(network.point("M-01")?.englishName == "Lida River source")
        #expect(network.sources.first?.englishName == nil)
    }

    @Test("the sample district's network loads with its plans, chiefs and English names")
    func sampleNetwork() throws {
        let network = try NetworkLoader.load(directory: repositoryPath("data/network"))
        #expect(network.rivers.allSatisfy { $0.englishName != nil })
        #expect(network.points.allSatisfy { $0.englishName != nil })
        #expect(network.sources.allSatisfy { $0.englishName != nil })
        let riversWithChiefs = Set(network.chiefs?.map(\.riverID) ?? [])
        let riversWithMeasures = Set(network.measures?.map(\.riverID) ?? [])
        #expect(riversWithChiefs == Set(network.rivers.map(\.id)))
        #expect(riversWithMeasures == Set(network.rivers.map(\.id)))
    }
}

@Suite("measure status")
struct MeasureStatusTests {
    // October 2026's period ends at 2026-11-01 00:00 China time.
    private let periodEnd = october2026.end

    @Test("a measure whose deadline day ended within the period and is not done is overdue")
    func overdue() {
        let measure = RiverMeasure(id: "M", riverID: "R", description: "清淤", deadline: CalendarDay(year: 2026, month: 10, day: 31),
                                   recordedStatus: .inProgress)
        // 2026-10-31 ends at 2026-11-01 00:00 +08, the period's end: passed.
        #expect(measure.status(at: periodEnd, in: .chinaStandard) == .overdue)
    }

    @Test("a deadline on the day after the period is not yet overdue")
    func notYet() {
        let measure = RiverMeasure(id: "M", riverID: "R", description: "清淤", deadline: CalendarDay(year: 2026, month: 11, day: 1),
                                   recordedStatus: .planned)
        #expect(measure.status(at: periodEnd, in: .chinaStandard) == .planned)
    }

    @Test("recorded overdue today, but a report of a period before its deadline shows it in progress then")
    func overdueLater() {
        let measure = RiverMeasure(id: "M", riverID: "R", description: "清淤", deadline: CalendarDay(year: 2026, month: 12, day: 31),
                                   recordedStatus: .overdue)
        #expect(measure.status(at: periodEnd, in: .chinaStandard) == .inProgress)
    }

    @Test("a done measure stays done past its deadline")
    func doneStaysDone() {
        let measure = RiverMeasure(id: "M", riverID: "R", description: "清淤", deadline: CalendarDay(year: 2026, month: 6, day: 30),
                                   recordedStatus: .done)
        #expect(measure.status(at: periodEnd, in: .chinaStandard) == .done)
    }

    @Test("the deadline day ends at local midnight, not at UTC midnight")
    func localMidnight() {
        // 2026-10-31 ends at 2026-10-31T16:00:00Z in China (UTC+8): one second earlier it has not passed.
        let end = Date(timeIntervalSince1970: 1_793_462_400)
        #expect(CalendarDay(year: 2026, month: 10, day: 31).end(in: .chinaStandard) == end)
    }
}

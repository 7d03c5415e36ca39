import Foundation
import RiverModel
import Testing
@testable import Trace

/// River M (10 km) with stations M1 (km 2) and M2 (km 8), and a tributary T joining at km 5 with station T1: the
/// event is at M2; M1 is the station judged above it. Stations elsewhere only have events that begin at given hours.
private let network = Network(
    rivers: [River("M", name: "Main", lengthKilometres: 10, velocityMetresPerSecond: 0.5, targetClass: .iii),
             River("T", name: "Tributary", flowsInto: "M", confluenceKilometres: 5, lengthKilometres: 4,
                   velocityMetresPerSecond: 0.5, targetClass: .iii)],
    points: [MonitoringPoint("M1", riverID: "M", kilometre: 2, kind: .automatic),
             MonitoringPoint("M2", riverID: "M", kilometre: 8, kind: .automatic),
             MonitoringPoint("T1", riverID: "T", kilometre: 3, kind: .automatic)],
    sources: [])

private let t0 = Date(timeIntervalSince1970: 1_782_864_000)
private func hours(_ value: Double) -> Date { t0.addingTimeInterval(value * 3_600) }

private func move(_ parameter: Parameter, _ direction: Direction) -> EventParameter {
    EventParameter(parameter: parameter, direction: direction, peak: 2, baseline: 1, increment: direction == .rose ? 1 : -1,
                   score: direction == .rose ? 6 : -6, peakTime: hours(0))
}

private func event(_ point: String, from start: Double, to end: Double, _ moves: [EventParameter]) -> AnomalyEvent {
    AnomalyEvent(pointID: point, start: hours(start), end: hours(end), peakTime: hours(start + 1), parameters: moves)
}

/// The basis of M2's event at hour 100 (ammonia up, and turbidity up when `muddy`), M1 judged `role` in the window
/// hours 96–99, among `others`.
private func basis(muddy: Bool = false, role: TraceEvidence.Role = .clean, others: [AnomalyEvent]) -> ConfidenceBasis {
    let atM2 = event("M2", from: 100, to: 106, [move(.ammoniaNitrogen, .rose)] + (muddy ? [move(.turbidity, .rose)] : []))
    let engine = TraceEngine(network: network, baselines: [:], events: [atM2] + others)
    var result = TraceResult(pointID: "M2", eventStart: atM2.start, peakTime: atM2.peakTime, verdict: .source,
                             rose: atM2.rose, fell: [], suspectSegment: nil, alternativeSegments: [], candidates: [],
                             confidence: 0, evidence: [], walked: ["M2"])
    result.evidence = [TraceEvidence(pointID: "M1", role: role, nominalLagHours: 3.3, lagHours: 3.3,
                                     windowStart: hours(96), windowEnd: hours(99))]
    return engine.confidenceBasis(result, event: atM2, measured: nil)
}

private let ammoniaUp = [move(.ammoniaNitrogen, .rose)]
private let muddy = [move(.turbidity, .rose)]

@Suite("The confidence's facts about plumes under way and runoff")
struct ConfidenceFactsTests {
    @Test("M1, judged clean, had had ammonia up since hour 80 when its window opened at 96: a plume under way above")
    func upstreamUnderWay() {
        #expect(basis(others: [event("M1", from: 80, to: 120, ammoniaUp)]).upstreamUnderWay)
    }

    @Test("not under way at M1 (window opening at hour 96)", arguments: [
        ("began inside the window", event("M1", from: 97, to: 120, ammoniaUp)),
        ("began as the window opened", event("M1", from: 96, to: 120, ammoniaUp)),
        ("ended as the window opened", event("M1", from: 80, to: 96, ammoniaUp)),
        ("over before the window", event("M1", from: 80, to: 90, ammoniaUp)),
        ("another parameter", event("M1", from: 80, to: 120, [move(.conductivity, .rose)])),
        ("the other direction", event("M1", from: 80, to: 120, [move(.ammoniaNitrogen, .fell)])),
        ("at another station (T1, not judged)", event("T1", from: 80, to: 120, ammoniaUp)),
    ])
    func notUnderWay(_ case: String, _ other: AnomalyEvent) {
        #expect(!basis(others: [other]).upstreamUnderWay, "\(`case`)")
    }

    @Test("a station judged affected or without data is not a clean station passed by an earlier plume",
          arguments: [TraceEvidence.Role.affected, .noData])
    func underWayOnlyAtCleanStations(role: TraceEvidence.Role) {
        #expect(!basis(role: role, others: [event("M1", from: 80, to: 120, ammoniaUp)]).upstreamUnderWay)
    }

    @Test("turbidity up at the event's station is muddied; ammonia alone is not")
    func muddied() {
        #expect(basis(muddy: true, others: []).muddied)
        #expect(!basis(muddy: false, others: []).muddied)
    }

    @Test("others muddied: T1 at hour 98 and M1 at 103, within 3 h of 100, count")
    func othersMuddied() {
        #expect(basis(others: [event("T1", from: 98, to: 104, muddy), event("M1", from: 103, to: 108, muddy)]).othersMuddied == 2)
    }

    @Test("two events at one station count once (counted by events, T1's two would be 2)")
    func countedByStation() {
        #expect(basis(others: [event("T1", from: 98, to: 104, muddy), event("T1", from: 101, to: 105, muddy)]).othersMuddied == 1)
    }

    @Test("at most 2: three other stations muddied at once count 2")
    func capped() {
        let three = [event("T1", from: 99, to: 104, muddy), event("M1", from: 100, to: 104, muddy),
                     event("X1", from: 101, to: 104, muddy)]
        #expect(basis(others: three).othersMuddied == 2)
    }

    @Test("not another station muddied (event at M2 from hour 100)", arguments: [
        ("began 4 h after", event("T1", from: 104, to: 110, muddy)),
        ("under way since 5 h before", event("T1", from: 95, to: 110, muddy)),
        ("no turbidity", event("M1", from: 99, to: 104, [move(.conductivity, .rose)])),
        ("turbidity down", event("M1", from: 101, to: 104, [move(.turbidity, .fell)])),
        ("the event's own station", event("M2", from: 101, to: 104, muddy)),
    ])
    func notOthersMuddied(_ case: String, _ other: AnomalyEvent) {
        #expect(basis(others: [other]).othersMuddied == 0, "\(`case`)")
    }

    @Test("the three facts are written under their documented keys")
    func encodedKeys() throws {
        let facts = basis(muddy: true, others: [event("M1", from: 80, to: 120, ammoniaUp), event("T1", from: 98, to: 104, muddy)])
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(facts)) as? [String: Any])
        #expect(json["upstream_under_way"] as? Bool == true)
        #expect(json["muddied"] as? Bool == true)
        #expect(json["others_muddied"] as? Int == 1)
    }

    @Test("a document written before these facts decodes with none of them")
    func olderDocument() throws {
        let json = """
            {"log_strength": 1.5, "parameters": 2, "affected": 1, "clean_above": true, "no_data": 0, "profile_fit": 0.5,
             "in_pattern": false, "inseparable": false, "downstream": 0, "log_hours": 1.2}
            """
        let facts = try JSONDecoder().decode(ConfidenceBasis.self, from: Data(json.utf8))
        #expect(!facts.upstreamUnderWay && !facts.muddied && facts.othersMuddied == 0)
        #expect(facts.logStrength == 1.5 && facts.affected == 1)
    }
}

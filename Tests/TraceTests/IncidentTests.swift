import Foundation
import RiverModel
import Testing
@testable import Trace

private let t0 = Date(timeIntervalSince1970: 1_782_864_000)

private func hours(_ value: Double) -> Date { t0.addingTimeInterval(value * 3_600) }

private func stretch(_ river: String, _ from: Double, _ to: Double) -> SuspectSegment {
    SuspectSegment(riverID: river, fromPointID: nil, toPointID: nil, fromKilometre: from, toKilometre: to)
}

/// A source trace of an event at `point` from hour `start`, to `segment`, walking through `affected` (point, window).
private func trace(_ point: String, at start: Double, to segment: SuspectSegment, confidence: Double,
                   affected: [(point: String, from: Double, to: Double)] = []) -> TraceResult {
    TraceResult(pointID: point, eventStart: hours(start), peakTime: hours(start + 1), verdict: .source, rose: [.conductivity],
                fell: [], suspectSegment: segment, alternativeSegments: [], candidates: [], confidence: confidence,
                evidence: affected.map { item in
                    TraceEvidence(pointID: item.point, role: .affected, nominalLagHours: 3, lagHours: 3,
                                  windowStart: hours(item.from), windowEnd: hours(item.to))
                },
                walked: [point] + affected.map(\.point))
}

private func event(_ point: String, from start: Double, to end: Double) -> AnomalyEvent {
    AnomalyEvent(pointID: point, start: hours(start), end: hours(end), peakTime: hours(start + 1), parameters: [])
}

@Suite("One incident per pollution episode")
struct IncidentTests {
    @Test("two events at M2 6 h apart with contradictory traces are one incident; the more confident speaks")
    func successiveAtOnePoint() {
        // The first event ends at hour 104, the second begins at 110: 6 h ≤ 12 h apart.
        let first = trace("M2", at: 100, to: stretch("M", 2, 8), confidence: 0.6)
        let second = trace("M2", at: 110, to: stretch("T", 1, 3), confidence: 0.7)
        let incidents = Incident.group([first, second], events: [event("M2", from: 100, to: 104), event("M2", from: 110, to: 115)])
        #expect(incidents.count == 1)
        #expect(incidents.first?.lead == second)
        #expect(incidents.first?.traces.count == 2)
    }

    @Test("events at M2 20 h apart on different stretches stay two incidents")
    func apartAtOnePoint() {
        let first = trace("M2", at: 100, to: stretch("M", 2, 8), confidence: 0.6)
        let second = trace("M2", at: 124, to: stretch("T", 1, 3), confidence: 0.7)
        let incidents = Incident.group([first, second], events: [event("M2", from: 100, to: 104), event("M2", from: 124, to: 128)])
        #expect(incidents.count == 2)
    }

    @Test("the plume M2's walk found at M1 (window hours 94–103) is M1's event at hour 97: one incident")
    func samePlumeAtTwoStations() {
        let upstream = trace("M1", at: 97, to: stretch("M", 0, 2), confidence: 0.8)
        let downstream = trace("M2", at: 100, to: stretch("M", 0, 2.5), confidence: 0.5,
                               affected: [(point: "M1", from: 94, to: 103)])
        let incidents = Incident.group([downstream, upstream], events: [])
        #expect(incidents.count == 1)
        #expect(incidents.first?.lead == upstream)
        // Outside the window by more than 2 h (hour 108 > 103 + 2): another plume.
        let later = trace("M1", at: 108, to: stretch("M", 0, 2), confidence: 0.8)
        let separate = Incident.group([downstream, later], events: [])
        #expect(separate.count == 2)
    }

    @Test("a trace linking two incidents makes them one")
    func bridging() {
        let a = trace("M1", at: 97, to: stretch("M", 0, 2), confidence: 0.8)
        let b = trace("T1", at: 98, to: stretch("T", 0, 1), confidence: 0.6)
        let bridge = trace("M2", at: 100, to: stretch("M", 2, 8), confidence: 0.5,
                           affected: [(point: "M1", from: 94, to: 103), (point: "T1", from: 95, to: 103)])
        #expect(Incident.group([a, b], events: []).count == 2)
        #expect(Incident.group([a, b, bridge], events: []).count == 1)
    }
}

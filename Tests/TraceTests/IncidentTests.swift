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

/// `hour` o'clock Beijing time on day `day` (t0 is 08:00 of day 0).
private func local(day: Double, _ hour: Double) -> Double { day * 24 + hour - 8 }

@Suite("An incident's events at the same hour day after day")
struct DailyRecurrenceTests {
    private func incident(_ startHours: [Double]) throws -> Incident {
        let traces = startHours.map { trace("M2", at: $0, to: stretch("M", 2, 8), confidence: 0.8) }
        let incidents = Incident.group(traces, events: startHours.map { event("M2", from: $0, to: $0 + 3) })
        try #require(incidents.count == 1)
        return incidents[0]
    }

    @Test("events beginning 23:00, 00:30, 23:00 and 01:00 on four nights: four days between 23:00 and 01:00, at night")
    func nightAfterNight() throws {
        let recurrence = try #require(try incident([local(day: 0, 23), local(day: 2, 0.5), local(day: 2, 23), local(day: 4, 1)])
            .dailyRecurrence(secondsFromGMT: 8 * 3_600))
        #expect(recurrence.days == 4, "00:30 and 01:00 belong to the nights before")
        #expect(recurrence.fromHour == 23 && recurrence.toHour == 1)
        #expect(recurrence.atNight)
        #expect(recurrence.first == hours(local(day: 0, 23)) && recurrence.last == hours(local(day: 4, 1)))
    }

    @Test("a leak's events at 02:00, 09:00, 15:00 and 21:00 on four days are no recurrence")
    func randomHours() throws {
        #expect(try incident([local(day: 0, 2), local(day: 1, 9), local(day: 2, 15), local(day: 3, 21)])
            .dailyRecurrence(secondsFromGMT: 8 * 3_600) == nil)
    }

    @Test("two nights are not enough; three are")
    func threeDays() throws {
        #expect(try incident([local(day: 0, 23), local(day: 1, 23)]).dailyRecurrence(secondsFromGMT: 8 * 3_600) == nil)
        #expect(try incident([local(day: 0, 23), local(day: 1, 23), local(day: 2, 23)])
            .dailyRecurrence(secondsFromGMT: 8 * 3_600)?.days == 3)
    }

    @Test("09:00, 10:00 and 11:30 on three days recur between 09:00 and 12:00, not at night")
    func daytime() throws {
        let recurrence = try #require(try incident([local(day: 0, 9), local(day: 1, 10), local(day: 2, 11.5)])
            .dailyRecurrence(secondsFromGMT: 8 * 3_600))
        #expect(recurrence.fromHour == 9 && recurrence.toHour == 12 && !recurrence.atNight && recurrence.days == 3)
    }

    @Test("four of five events within four hours recur (three quarters); three of five do not")
    func share() throws {
        let four = try incident([local(day: 0, 22), local(day: 1, 23), local(day: 2, 14), local(day: 2, 22), local(day: 3, 21)])
        #expect(four.dailyRecurrence(secondsFromGMT: 8 * 3_600)?.days == 4)
        let three = try incident([local(day: 0, 22), local(day: 1, 23), local(day: 2, 14), local(day: 2, 22), local(day: 3, 8)])
        #expect(three.dailyRecurrence(secondsFromGMT: 8 * 3_600) == nil)
    }
}

@Suite("The hours a recurring discharge began")
struct RecurrenceTravelTests {
    @Test("events at M2 from 23:00, with M1 clean 2.4 h above the stretch's top: the discharge from 20:00 (3 h up)")
    func travelFromTheStretch() throws {
        let top = SuspectSegment(riverID: "M", fromPointID: "M1", toPointID: "M2", fromKilometre: 2, toKilometre: 8)
        let clean = TraceEvidence(pointID: "M1", role: .clean, nominalLagHours: 2.4, lagHours: 2.4,
                                  windowStart: hours(0), windowEnd: hours(1))
        let starts = [local(day: 0, 23), local(day: 1, 23.5), local(day: 2, 23)]
        let traces = starts.map { start in
            TraceResult(pointID: "M2", eventStart: hours(start), peakTime: hours(start + 1), verdict: .source,
                        rose: [.conductivity], fell: [], suspectSegment: top, alternativeSegments: [], candidates: [],
                        confidence: 0.8, evidence: [clean], walked: ["M2", "M1"])
        }
        let incidents = Incident.group(traces, events: starts.map { event("M2", from: $0, to: $0 + 3) })
        let incident = try #require(incidents.first)
        let recurrence = try #require(incident.dailyRecurrence(secondsFromGMT: 8 * 3_600))
        #expect(incidents.count == 1)
        #expect(recurrence.longestTravelHours == 3 && recurrence.shortestTravelHours == 0)
        #expect(recurrence.fromHour == 23 && recurrence.dischargeFromHour == 20 && recurrence.pointID == "M2")
        #expect(recurrence.toHour == 0 && recurrence.dischargeToHour == 0, "23:30 rounds up to midnight")
    }
}

@Suite("Which station's recurrence, and the travel to allow")
struct RecurrenceStationTests {
    /// The lead at M3 (below the stretch M1 → M2): M2 affected 1.5 h above M3, M1 clean 4.2 h above it.
    private func lead(at start: Double) -> TraceResult {
        let stretch = SuspectSegment(riverID: "M", fromPointID: "M1", toPointID: "M2", fromKilometre: 2, toKilometre: 5)
        return TraceResult(pointID: "M3", eventStart: hours(start), peakTime: hours(start + 1), verdict: .source,
                           rose: [.conductivity], fell: [], suspectSegment: stretch, alternativeSegments: [], candidates: [],
                           confidence: 0.9, evidence: [
                               TraceEvidence(pointID: "M2", role: .affected, nominalLagHours: 1.5, lagHours: 1.5,
                                             windowStart: hours(start - 3), windowEnd: hours(start)),
                               TraceEvidence(pointID: "M1", role: .clean, nominalLagHours: 4.2, lagHours: 4.2,
                                             windowStart: hours(start - 6), windowEnd: hours(start - 3)),
                           ], walked: ["M3", "M2", "M1"])
    }

    @Test("the stretch's lower station M2 recurs from 23:00: its own hours, and 0–3 h from the stretch (4.2 − 1.5 up)")
    func atTheStretch() throws {
        let nights = [local(day: 0, 23), local(day: 1, 23), local(day: 2, 23.5)]
        let atM2 = nights.map { trace("M2", at: $0, to: stretch("M", 2, 5), confidence: 0.6) }
        let incident = Incident(lead: lead(at: nights[1] + 1.5), traces: atM2 + [lead(at: nights[1] + 1.5)], end: hours(nights[2] + 4))
        let recurrence = try #require(incident.dailyRecurrence(secondsFromGMT: 8 * 3_600))
        #expect(recurrence.pointID == "M2" && recurrence.fromHour == 23 && recurrence.toHour == 0)
        #expect(recurrence.shortestTravelHours == 0 && recurrence.longestTravelHours == 3 && recurrence.dischargeFromHour == 20)
    }

    @Test("a lag that is not a finite number allows no travel instead of trapping")
    func unusableLag() throws {
        let nights = [local(day: 1, 1), local(day: 2, 1.5), local(day: 3, 2)]
        let traces = nights.map { start -> TraceResult in
            var trace = lead(at: start)
            trace.evidence = trace.evidence.map { evidence in
                var broken = evidence
                broken.lagHours = evidence.role == .clean ? .infinity : .nan
                return broken
            }
            return trace
        }
        let incident = Incident(lead: traces[0], traces: traces, end: hours(nights[2] + 4))
        let recurrence = try #require(incident.dailyRecurrence(secondsFromGMT: 8 * 3_600))
        #expect(recurrence.longestTravelHours == 0 && recurrence.shortestTravelHours == 0)
    }

    @Test("only the lead M3 recurs, from 01:00 to 02:00: 1–5 h of travel (1.5 down, 4.2 up), the discharge 20:00–01:00")
    func atTheLead() throws {
        let nights = [local(day: 1, 1), local(day: 2, 1.5), local(day: 3, 2)]
        let incident = Incident(lead: lead(at: nights[0]), traces: nights.map(lead(at:)), end: hours(nights[2] + 4))
        let recurrence = try #require(incident.dailyRecurrence(secondsFromGMT: 8 * 3_600))
        #expect(recurrence.pointID == "M3" && recurrence.fromHour == 1 && recurrence.toHour == 2)
        #expect(recurrence.shortestTravelHours == 1 && recurrence.longestTravelHours == 5)
        #expect(recurrence.dischargeFromHour == 20 && recurrence.dischargeToHour == 1)
    }
}

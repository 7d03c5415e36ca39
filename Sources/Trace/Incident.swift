import Foundation

/// One pollution episode: the source traces of one plume or one leak, whichever station saw them.
///
/// Traces join one incident when they reach the same suspect stretch, each beginning within ``joinGap`` of the end of
/// the events before (a leak shows as several events over a week); when they are events at one point that overlap or
/// follow within ``samePointGap``; or when one trace's walk found the other's point affected by the same plume (the
/// other's event began inside the window the walk looked at there, give or take ``windowTolerance``).
public struct Incident: Sendable, Equatable {
    /// Traces further apart than this are separate incidents.
    public static let joinGap: TimeInterval = 3 * 86_400
    /// Events at one point this close are one episode, whatever their traces say.
    public static let samePointGap: TimeInterval = 12 * 3_600
    /// How far outside a walk's window at a station the station's own event may begin and still be the same plume.
    public static let windowTolerance: TimeInterval = 2 * 3_600

    /// The most confident trace: it speaks for the incident.
    public var lead: TraceResult
    /// Every source trace joined into it, in time order (the lead among them).
    public var traces: [TraceResult]
    /// The end of the latest event joined (the start of a trace whose event is not given).
    public var end: Date

    /// Groups the source verdicts among `traces` into incidents, in time order of their leads.
    /// - Parameter events: the events the traces were made from, for their ends; a trace without its event counts
    ///   as ending where it starts.
    public static func group(_ traces: [TraceResult], events: [AnomalyEvent]) -> [Incident] {
        struct EventKey: Hashable { var pointID: String; var start: Date }
        var ends: [EventKey: Date] = [:]
        for event in events { ends[EventKey(pointID: event.pointID, start: event.start)] = event.end }
        func end(_ trace: TraceResult) -> Date {
            max(trace.eventStart, ends[EventKey(pointID: trace.pointID, start: trace.eventStart)] ?? trace.eventStart)
        }
        func samePlume(_ one: TraceResult, _ other: TraceResult) -> Bool {
            if one.pointID == other.pointID {
                let (first, second) = one.eventStart <= other.eventStart ? (one, other) : (other, one)
                return second.eventStart.timeIntervalSince(end(first)) <= samePointGap
            }
            return walked(one, through: other) || walked(other, through: one)
        }
        func walked(_ trace: TraceResult, through other: TraceResult) -> Bool {
            trace.evidence.contains { evidence in
                evidence.role == .affected && evidence.pointID == other.pointID
                    && other.eventStart >= evidence.windowStart.addingTimeInterval(-windowTolerance)
                    && other.eventStart <= evidence.windowEnd.addingTimeInterval(windowTolerance)
            }
        }
        var incidents: [Incident] = []
        for trace in traces.filter({ $0.verdict == .source }).sorted(by: { $0.eventStart < $1.eventStart }) {
            let joined = incidents.indices.filter { index in
                (incidents[index].lead.suspectSegment == trace.suspectSegment
                    && trace.eventStart.timeIntervalSince(incidents[index].end) <= joinGap)
                    || incidents[index].traces.contains { samePlume($0, trace) }
            }
            guard let first = joined.first else {
                incidents.append(Incident(lead: trace, traces: [trace], end: end(trace)))
                continue
            }
            // A trace that joins two incidents makes them one.
            for index in joined.dropFirst().reversed() {
                incidents[first].traces += incidents[index].traces
                incidents[first].end = max(incidents[first].end, incidents[index].end)
                if incidents[index].lead.confidence > incidents[first].lead.confidence { incidents[first].lead = incidents[index].lead }
                incidents.remove(at: index)
            }
            incidents[first].traces.append(trace)
            incidents[first].traces.sort { ($0.eventStart, $0.pointID) < ($1.eventStart, $1.pointID) }
            incidents[first].end = max(incidents[first].end, end(trace))
            if trace.confidence > incidents[first].lead.confidence { incidents[first].lead = trace }
        }
        return incidents.sorted { ($0.lead.eventStart, $0.lead.pointID) < ($1.lead.eventStart, $1.lead.pointID) }
    }
}

/// An incident whose events at one station began at about the same clock hour on several days: a discharge repeated
/// day after day — at night, the pattern of an enterprise discharging when no inspector comes (夜间偷排) — which a
/// field team catches by inspecting at that hour.
public struct DailyRecurrence: Sendable, Equatable, Codable {
    /// The station whose events recur: the suspect stretch's lower station when it saw the recurrence (nearest the
    /// discharge), else the lead's.
    public var pointID: String
    /// The days an event began in the window (counted from the window's first hour, so a night is one day).
    public var days: Int
    /// The first and the last of those events' starts.
    public var first: Date
    public var last: Date
    /// The local clock hours the events began between: `fromHour` to `toHour`, past midnight when `toHour` is
    /// smaller (22 → 2).
    public var fromHour: Int
    public var toHour: Int
    /// Every one of those starts lies between 20:00 and 06:00 local time.
    public var atNight: Bool
    /// The travel from the suspect stretch to the station, whole hours: from its lower end (0 when the station is
    /// that end, or its lag is not known; rounded down) to its upper end (the lag of the clean station that bounds it
    /// above; 0 when none does; rounded up).
    public var shortestTravelHours: Int
    public var longestTravelHours: Int

    /// The local hours the discharge may have begun between: the events' hours less the travel from the stretch.
    public var dischargeFromHour: Int { ((fromHour - longestTravelHours) % 24 + 24) % 24 }
    public var dischargeToHour: Int { ((toHour - shortestTravelHours) % 24 + 24) % 24 }

    enum CodingKeys: String, CodingKey {
        case days, first, last
        case pointID = "point_id"
        case fromHour = "from_hour"
        case toHour = "to_hour"
        case atNight = "at_night"
        case shortestTravelHours = "shortest_travel_hours"
        case longestTravelHours = "longest_travel_hours"
        case dischargeFromHour = "discharge_from_hour"
        case dischargeToHour = "discharge_to_hour"
    }

    public init(pointID: String, days: Int, first: Date, last: Date, fromHour: Int, toHour: Int, atNight: Bool,
                shortestTravelHours: Int, longestTravelHours: Int) {
        (self.pointID, self.days, self.first, self.last) = (pointID, days, first, last)
        (self.fromHour, self.toHour, self.atNight) = (fromHour, toHour, atNight)
        (self.shortestTravelHours, self.longestTravelHours) = (shortestTravelHours, longestTravelHours)
    }

    /// Reads what ``encode(to:)`` writes; the discharge hours follow from the rest.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(pointID: try container.decode(String.self, forKey: .pointID), days: try container.decode(Int.self, forKey: .days),
                  first: try container.decode(Date.self, forKey: .first), last: try container.decode(Date.self, forKey: .last),
                  fromHour: try container.decode(Int.self, forKey: .fromHour), toHour: try container.decode(Int.self, forKey: .toHour),
                  atNight: try container.decode(Bool.self, forKey: .atNight),
                  shortestTravelHours: try container.decode(Int.self, forKey: .shortestTravelHours),
                  longestTravelHours: try container.decode(Int.self, forKey: .longestTravelHours))
    }

    /// The stored facts and the discharge hours, for readers of `analyze --json` that do not compute them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pointID, forKey: .pointID)
        try container.encode(days, forKey: .days)
        try container.encode(first, forKey: .first)
        try container.encode(last, forKey: .last)
        try container.encode(fromHour, forKey: .fromHour)
        try container.encode(toHour, forKey: .toHour)
        try container.encode(atNight, forKey: .atNight)
        try container.encode(shortestTravelHours, forKey: .shortestTravelHours)
        try container.encode(longestTravelHours, forKey: .longestTravelHours)
        try container.encode(dischargeFromHour, forKey: .dischargeFromHour)
        try container.encode(dischargeToHour, forKey: .dischargeToHour)
    }
}

extension Incident {
    /// The events at one station that make a recurrence: at least this many days.
    public static let recurrenceDays = 3
    /// Starts within this much clock time of each other are "about the same hour".
    public static let recurrenceWindow: TimeInterval = 4 * 3_600

    /// Whether the incident's events at one station began at about the same clock hour day after day: nil unless at
    /// least ``recurrenceDays`` days had an event beginning within ``recurrenceWindow`` of clock time, and those are
    /// at least three quarters of the station's events in the incident (a leak's events at random hours are no
    /// recurrence). The station is the suspect stretch's lower one when its events recur and the lead's walk judged it
    /// (affected or clean: its lag is known) — the nearest to the discharge, the shortest travel to allow for — else
    /// the lead's own.
    /// - Parameter secondsFromGMT: the local offset clock hours are counted in.
    public func dailyRecurrence(secondsFromGMT: Int) -> DailyRecurrence? {
        let stretch = lead.suspectSegment
        let lagToLead = { (pointID: String?) -> Double? in
            pointID == lead.pointID ? 0
                : lead.evidence.first { $0.pointID == pointID && ($0.role == .affected || $0.role == .clean) }?.lagHours
        }
        let bottom = stretch?.toPointID
        var candidates = [lead.pointID]
        if let bottom, bottom != lead.pointID, lagToLead(bottom) != nil { candidates.insert(bottom, at: 0) }
        let top = stretch?.fromPointID.flatMap { id in lead.evidence.first { $0.pointID == id && $0.role == .clean }?.lagHours }
        // Whole hours of a lag difference, 0 for one that is not a finite positive number (a lag is never infinite, but
        // an Int of one would trap).
        func hours(_ value: Double, _ rule: FloatingPointRoundingRule) -> Int {
            value.isFinite && value > 0 ? Int(min(value, 240).rounded(rule)) : 0
        }
        for pointID in candidates {
            guard var recurrence = recurrence(at: pointID, secondsFromGMT: secondsFromGMT) else { continue }
            // Lags are the lead's walk's, each from a station to the lead's: from the stretch to this station is the
            // difference.
            let here = lagToLead(pointID) ?? 0
            recurrence.longestTravelHours = hours((top ?? here) - here, .up)
            recurrence.shortestTravelHours = hours((lagToLead(bottom) ?? here) - here, .down)
            return recurrence
        }
        return nil
    }

    /// The recurrence of the incident's events at `pointID`, its travel left at 0.
    private func recurrence(at pointID: String, secondsFromGMT: Int) -> DailyRecurrence? {
        let starts = traces.filter { $0.pointID == pointID }.map(\.eventStart).sorted()
        guard starts.count >= Self.recurrenceDays else { return nil }
        let offset = Double(secondsFromGMT)
        func clock(_ date: Date) -> Double {
            let seconds = (date.timeIntervalSince1970 + offset).truncatingRemainder(dividingBy: 86_400)
            return seconds < 0 ? seconds + 86_400 : seconds
        }
        func since(_ opening: Double, _ start: Date) -> Double {
            let after = clock(start) - opening
            return after < 0 ? after + 86_400 : after
        }
        // Each start's clock time opens a window; the one holding the most starts wins (the earliest on a tie).
        var best: (opening: Double, inside: [Date])?
        for opening in starts.map(clock) {
            let inside = starts.filter { since(opening, $0) <= Self.recurrenceWindow }
            if inside.count > best?.inside.count ?? 0 { best = (opening, inside) }
        }
        guard let (opening, inside) = best, 4 * inside.count >= 3 * starts.count else { return nil }
        // Days counted from the window's opening hour: 23:00 and 01:00 of one night are one day.
        let days = Set(inside.map { (($0.timeIntervalSince1970 + offset - opening) / 86_400).rounded(.down) })
        guard days.count >= Self.recurrenceDays else { return nil }
        let offsets = inside.map { since(opening, $0) }
        func hour(_ seconds: Double, roundingUp: Bool) -> Int {
            Int((seconds / 3_600).rounded(roundingUp ? .up : .down)) % 24
        }
        let night = offsets.allSatisfy { after in
            let time = (opening + after).truncatingRemainder(dividingBy: 86_400)
            return time >= 20 * 3_600 || time < 6 * 3_600
        }
        return DailyRecurrence(pointID: pointID, days: days.count, first: inside.first!, last: inside.last!,
                               fromHour: hour(opening + offsets.min()!, roundingUp: false),
                               toHour: hour(opening + offsets.max()!, roundingUp: true), atNight: night,
                               shortestTravelHours: 0, longestTravelHours: 0)
    }
}

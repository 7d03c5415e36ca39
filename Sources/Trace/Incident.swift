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

import Foundation

/// One pollution episode: the source traces that reach the same suspect stretch, each beginning within
/// ``joinGap`` of the end of the events before (a leak shows as several events over a week).
public struct Incident: Sendable, Equatable {
    /// Traces further apart than this are separate incidents.
    public static let joinGap: TimeInterval = 3 * 86_400

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
        var incidents: [Incident] = []
        for trace in traces.filter({ $0.verdict == .source }).sorted(by: { $0.eventStart < $1.eventStart }) {
            if let index = incidents.indices.first(where: {
                incidents[$0].lead.suspectSegment == trace.suspectSegment
                    && trace.eventStart.timeIntervalSince(incidents[$0].end) <= joinGap
            }) {
                incidents[index].traces.append(trace)
                incidents[index].end = max(incidents[index].end, end(trace))
                if trace.confidence > incidents[index].lead.confidence { incidents[index].lead = trace }
            } else {
                incidents.append(Incident(lead: trace, traces: [trace], end: end(trace)))
            }
        }
        return incidents.sorted { ($0.lead.eventStart, $0.lead.pointID) < ($1.lead.eventStart, $1.lead.pointID) }
    }
}

import Foundation
import RiverModel
import Standards
import Trace

/// A GeoJSON document (RFC 7946): a FeatureCollection of WGS 84 features, positions in longitude, latitude order.
/// Encoded by `JSONEncoder`, so every property value is escaped by the encoder, never by hand.
struct GeoJSONCollection: Encodable {
    var features: [GeoJSONFeature]

    enum CodingKeys: String, CodingKey { case type, features }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("FeatureCollection", forKey: .type)
        try container.encode(features, forKey: .features)
    }

    /// The document as text: keys sorted (the same input gives the same bytes), slashes left as they are.
    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Positions and properties are finite by construction (`GeoJSONValue.number`, `GeoJSONGeometry`); encoding
        // cannot fail on them.
        guard let data = try? encoder.encode(self) else { return #"{"type":"FeatureCollection","features":[]}"# }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// A feature: a geometry and its properties.
struct GeoJSONFeature: Encodable {
    var geometry: GeoJSONGeometry
    var properties: [String: GeoJSONValue]

    enum CodingKeys: String, CodingKey { case type, geometry, properties }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("Feature", forKey: .type)
        try container.encode(geometry, forKey: .geometry)
        try container.encode(properties, forKey: .properties)
    }
}

/// The geometries rivertrace writes. Positions are rounded to 6 decimals (about 0.1 m: RFC 7946 §11.2 advises no
/// more precision than the data have).
enum GeoJSONGeometry: Encodable {
    case point(GeoPosition)
    case multiPoint([GeoPosition])
    /// Two positions or more (RFC 7946 §3.1.4).
    case lineString([GeoPosition])

    enum CodingKeys: String, CodingKey { case type, coordinates }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .point(let position):
            try container.encode("Point", forKey: .type)
            try container.encode(Self.coordinates(position), forKey: .coordinates)
        case .multiPoint(let positions):
            try container.encode("MultiPoint", forKey: .type)
            try container.encode(positions.map(Self.coordinates), forKey: .coordinates)
        case .lineString(let positions):
            try container.encode("LineString", forKey: .type)
            try container.encode(positions.map(Self.coordinates), forKey: .coordinates)
        }
    }

    /// [longitude, latitude]: RFC 7946 §3.1.1 puts longitude first.
    static func coordinates(_ position: GeoPosition) -> [Double] {
        [rounded(position.longitude), rounded(position.latitude)]
    }

    static func rounded(_ degrees: Double) -> Double { (degrees * 1_000_000).rounded() / 1_000_000 }
}

/// A property value: text, a finite number, a flag or null.
enum GeoJSONValue: Encodable, Equatable {
    case text(String)
    case number(Double)
    case flag(Bool)
    case null

    /// A number, or null where it is not finite (GeoJSON is JSON: no NaN, no infinity).
    static func finite(_ value: Double?) -> GeoJSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    static func optional(_ text: String?) -> GeoJSONValue { text.map(GeoJSONValue.text) ?? .null }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .flag(let flag): try container.encode(flag)
        case .null: try container.encodeNil()
        }
    }
}

extension ReportWriter {
    /// `network.geojson`: the monitoring points with this period's class, the registered sources, and each river as a
    /// line through its points down to its mouth (properties: docs/geojson.md).
    func networkGeoJSON() -> String { networkCollection().json() }

    func networkCollection() -> GeoJSONCollection {
        GeoJSONCollection(features: riverFeatures() + pointFeatures() + sourceFeatures())
    }

    func riverFeatures() -> [GeoJSONFeature] {
        input.network.riversInTreeOrder.compactMap { river in
            var line = input.network.points(on: river.id).compactMap { input.network.position(of: $0) }
            // Down to where it joins the next river, so the map's rivers meet.
            if let mouth = input.network.mouthPosition(of: river) { line.append(mouth) }
            guard line.count >= 2 else { return nil }
            let status = input.document.rivers.first { $0.id == river.id }?.grade
            return GeoJSONFeature(geometry: .lineString(line), properties: [
                "feature": .text("river"), "id": .text(river.id), "name": .text(displayName(river)), "name_zh": .text(river.name),
                "flows_into": .optional(river.flowsInto), "length_km": .finite(river.lengthKilometres),
                "velocity_m_s": .finite(river.velocityMetresPerSecond), "target_class": .optional(river.targetClass?.roman),
                "status": .optional(status.map { grade($0) }),
            ])
        }
    }

    func pointFeatures() -> [GeoJSONFeature] {
        input.network.points.compactMap { point in
            guard let position = input.network.position(of: point) else { return nil }
            let result = input.document.points.first { $0.pointID == point.id }
            let waterClass = result?.waterClass
            return GeoJSONFeature(geometry: .point(position), properties: [
                "feature": .text("point"), "id": .text(point.id), "name": .text(displayName(point)), "name_zh": .text(point.name),
                "river_id": .text(point.riverID), "river": .text(input.network.river(point.riverID).map(displayName) ?? point.riverID),
                "km": .finite(point.kilometre), "kind": .text(point.kind.rawValue),
                "target_class": .optional(input.network.targetClass(of: point)?.roman),
                "class": .optional(waterClass?.roman), "class_label": .optional(waterClass.map { className($0) }),
                "class_colour": .text(ClassColour.fill(waterClass)),
                "meets_target": result?.meetsTarget.map(GeoJSONValue.flag) ?? .null,
                "period": .text(input.document.period.label),
            ])
        }
    }

    func sourceFeatures() -> [GeoJSONFeature] {
        input.network.sources.compactMap { source in
            guard let position = input.network.position(of: source) else { return nil }
            return GeoJSONFeature(geometry: .point(position), properties: [
                "feature": .text("source"), "id": .text(source.id), "name": .text(displayName(source)), "name_zh": .text(source.name), "kind": .text(source.kind),
                "river_id": .text(source.riverID), "km": .finite(source.kilometre),
                "signature": .text(source.signature.rawValue), "approximate": .flag(position.approximate),
            ])
        }
    }

    /// `traces/<incident>.geojson`: the suspect stretch (and the alternative ones) along the river, the candidates
    /// ranked, and the points where the incident's events were seen.
    func incidentGeoJSON(_ incident: Incident) -> String { incidentCollection(incident).json() }

    func incidentCollection(_ incident: Incident) -> GeoJSONCollection {
        let trace = incident.lead
        let file = traceFile(trace)
        var features: [GeoJSONFeature] = []
        let stretches = (trace.suspectSegment.map { [("suspect_stretch", $0)] } ?? [])
            + trace.alternativeSegments.map { ("alternative_stretch", $0) }
        for (kind, segment) in stretches {
            let course = input.network.course(ofRiver: segment.riverID, from: segment.fromKilometre, to: segment.toKilometre)
            guard course.count >= 2 else { continue }
            features.append(GeoJSONFeature(geometry: .lineString(course), properties: [
                "feature": .text(kind), "incident": .text(file), "river_id": .text(segment.riverID),
                "river": .text(input.network.river(segment.riverID).map(displayName) ?? segment.riverID),
                "from_km": .finite(segment.fromKilometre), "to_km": .finite(segment.toKilometre),
                "from_point_id": .optional(segment.fromPointID), "to_point_id": .optional(segment.toPointID),
                "confidence": .finite(trace.confidence), "approximate": .flag(true),
            ]))
        }
        for (rank, candidate) in trace.candidates.enumerated() {
            guard let place = place(of: candidate, in: trace), !place.positions.isEmpty else { continue }
            let source = candidate.sourceID.flatMap { id in input.network.sources.first { $0.id == id } }
            features.append(GeoJSONFeature(
                geometry: place.positions.count == 1 ? .point(place.positions[0]) : .multiPoint(place.positions),
                properties: [
                    "feature": .text("candidate"), "incident": .text(file), "rank": .number(Double(rank + 1)),
                    "source_id": .optional(candidate.sourceID),
                    "name": .text(source.map(displayName) ?? t("未登记排口", "unregistered outfall")),
                    "kind": .optional(source?.kind), "signature": .optional(source?.signature.rawValue),
                    "river_id": .text(place.riverID), "from_km": .finite(place.fromKilometre), "to_km": .finite(place.toKilometre),
                    "score": .finite(candidate.score), "signature_fit": .finite(candidate.signatureFit),
                    "place": .optional(candidate.place?.rawValue),
                    "discharge_from": .optional(place.window.map { isoTime($0.earliest) }),
                    "discharge_to": .optional(place.window.map { isoTime($0.latest) }),
                    "discharge_expected": .optional(place.window?.expected.map(isoTime)),
                    "discharge_give_or_take_hours": .finite(place.window?.slackHours.map { ($0 * 100).rounded() / 100 }),
                    "approximate": .flag(place.positions.contains { $0.approximate }),
                ]))
        }
        for member in incident.traces {
            guard let point = input.network.point(member.pointID), let position = input.network.position(of: point) else { continue }
            let isLead = member.pointID == trace.pointID && member.eventStart == trace.eventStart
            features.append(GeoJSONFeature(geometry: .point(position), properties: [
                "feature": .text("event_point"), "incident": .text(file), "id": .text(point.id), "name": .text(displayName(point)), "name_zh": .text(point.name),
                "event_start": .text(isoTime(member.eventStart)), "lead": .flag(isLead), "confidence": .finite(member.confidence),
            ]))
        }
        return GeoJSONCollection(features: features)
    }

    /// ISO 8601 with the report's UTC offset: `2026-10-05T10:00:00+08:00`.
    func isoTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = input.timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

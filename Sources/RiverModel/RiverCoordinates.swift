import Foundation

/// A place on the map: WGS 84 latitude and longitude, degrees.
public struct GeoPosition: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double
    /// Worked out along the river from its points' coordinates rather than surveyed: reports say "approx.".
    public var approximate: Bool

    public init(latitude: Double, longitude: Double, approximate: Bool) {
        self.latitude = latitude
        self.longitude = longitude
        self.approximate = approximate
    }
}

extension Network {
    /// Where km `kilometre` of river `riverID` lies on the map, from the coordinates of the river's points: linear in km
    /// between the two points that bracket it, and beyond the first or last point along the line through the nearest
    /// two (a river is straight enough between points a few km apart for a field team to find the bank).
    ///
    /// Always `approximate`, even at a point's own km (use the point's coordinates there). Nil when the river has fewer
    /// than two points with coordinates at different km, or the km lies more than ``extrapolationLimit`` spacings of
    /// the end pair beyond it.
    public func position(onRiver riverID: String, kilometre: Double) -> GeoPosition? {
        var anchors: [MonitoringPoint] = []
        for point in points(on: riverID) where point.latitude?.isFinite == true && point.longitude?.isFinite == true {
            // Two points at one km cannot give a direction: the first stands for both.
            if let last = anchors.last, abs(last.kilometre - point.kilometre) < 1e-9 { continue }
            anchors.append(point)
        }
        guard anchors.count >= 2 else { return nil }
        // The pair that brackets the km, or the end pair the km lies beyond.
        let upper = anchors.firstIndex { $0.kilometre >= kilometre }.map { max($0, 1) } ?? anchors.count - 1
        let (a, b) = (anchors[upper - 1], anchors[upper])
        let fraction = (kilometre - a.kilometre) / (b.kilometre - a.kilometre)
        // Beyond the end pair the line's direction is only as good as two points' coordinates: past two of their
        // spacings a place would send a field team astray, so there is none (reports say "—").
        guard fraction >= -Self.extrapolationLimit, fraction <= 1 + Self.extrapolationLimit else { return nil }
        // The anchors' coordinates are finite (filtered above) and their km differ, so the result is finite.
        guard let latitudeA = a.latitude, let longitudeA = a.longitude, let latitudeB = b.latitude, let longitudeB = b.longitude
        else { return nil }
        let latitude = latitudeA + fraction * (latitudeB - latitudeA)
        let longitude = longitudeA + fraction * (longitudeB - longitudeA)
        guard (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        return GeoPosition(latitude: latitude, longitude: longitude, approximate: true)
    }

    /// How far beyond the first or last located point a place is extrapolated, in spacings of the end pair.
    public static let extrapolationLimit = 2.0

    /// A monitoring point's position: its own coordinates (nil without them).
    public func position(of point: MonitoringPoint) -> GeoPosition? {
        guard let latitude = point.latitude, let longitude = point.longitude, latitude.isFinite, longitude.isFinite else { return nil }
        return GeoPosition(latitude: latitude, longitude: longitude, approximate: false)
    }

    /// A registered source's position: its surveyed coordinates from `sources.csv`, else placed along its river by km
    /// (``position(onRiver:kilometre:)``, approximate).
    public func position(of source: RegisteredSource) -> GeoPosition? {
        if let latitude = source.latitude, let longitude = source.longitude, latitude.isFinite, longitude.isFinite {
            return GeoPosition(latitude: latitude, longitude: longitude, approximate: false)
        }
        return position(onRiver: source.riverID, kilometre: source.kilometre)
    }

    /// Where a river ends on the map: where it joins the river it flows into (placed along that river by the confluence
    /// km), nil for a river leaving the district or a receiving river without coordinates.
    public func mouthPosition(of river: River) -> GeoPosition? {
        guard let into = river.flowsInto, let joins = river.confluenceKilometres else { return nil }
        return position(onRiver: into, kilometre: joins)
    }

    /// The course of river `riverID` from km `from` to km `to` as map positions, upstream first: the two ends (placed
    /// by ``position(onRiver:kilometre:)``) and the coordinates of the points between them. Empty when the river
    /// cannot be placed.
    public func course(ofRiver riverID: String, from: Double, to: Double) -> [GeoPosition] {
        guard let start = position(onRiver: riverID, kilometre: from), let end = position(onRiver: riverID, kilometre: to) else {
            return []
        }
        let between = points(on: riverID).filter { $0.kilometre > from + 1e-9 && $0.kilometre < to - 1e-9 }.compactMap(position(of:))
        return [start] + between + [end]
    }
}

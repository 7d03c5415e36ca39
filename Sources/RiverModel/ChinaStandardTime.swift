import Foundation

extension TimeZone {
    /// China Standard Time, the zone of the district's local times unless configured: Asia/Shanghai from the
    /// system's zone data, else the same fixed UTC+8 (China keeps no daylight saving time).
    public static let chinaStandard: TimeZone = TimeZone(identifier: "Asia/Shanghai")
        ?? TimeZone(secondsFromGMT: 8 * 3600) ?? TimeZone(abbreviation: "UTC") ?? .current
}

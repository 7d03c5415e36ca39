/// The values of a window sliding along a series, kept sorted, for a median at every step: each step inserts and
/// removes a value (a binary search and a shift of at most the window's length) where a fresh selection would copy
/// and partition the whole window.
///
/// The median is the same order statistic of the same values as ``SensSlope/median(_:)``'s (the mean of the two
/// middle ones for an even count). Values must not be NaN: they would have no place in the order.
struct SortedWindow {
    /// The window's values, ascending.
    private(set) var values: [Double] = []

    init(capacity: Int) {
        values.reserveCapacity(capacity)
    }

    /// Adds `value` after the values equal to it.
    mutating func insert(_ value: Double) {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] <= value { low = middle + 1 } else { high = middle }
        }
        values.insert(value, at: low)
    }

    /// Takes out one value equal to `value`, which the window must hold.
    mutating func remove(_ value: Double) {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        precondition(low < values.count && values[low] == value, "only a value the window holds leaves it")
        values.remove(at: low)
    }

    /// The median of the window's values (NaN when it is empty).
    var median: Double {
        guard !values.isEmpty else { return .nan }
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }
}

extension SortedWindow {
    /// For each index j, the median of `values[max(0, j − halfWidth)..<min(count, j + halfWidth + 1)]` (fewer values
    /// at the ends). Falls back to a selection per window when `values` holds a NaN.
    static func centredMedians(_ values: [Double], halfWidth: Int) -> [Double] {
        let count = values.count
        guard !values.contains(where: \.isNaN) else {
            var window: [Double] = []
            return values.indices.map { j in
                window.removeAll(keepingCapacity: true)
                window.append(contentsOf: values[max(0, j - halfWidth)..<min(count, j + halfWidth + 1)])
                return SensSlope.median(reordering: &window)
            }
        }
        var window = SortedWindow(capacity: 2 * halfWidth + 2)
        var medians: [Double] = []
        medians.reserveCapacity(count)
        for j in 0..<min(count, halfWidth) { window.insert(values[j]) }
        for j in 0..<count {
            if j + halfWidth < count { window.insert(values[j + halfWidth]) }
            if j - halfWidth - 1 >= 0 { window.remove(values[j - halfWidth - 1]) }
            medians.append(window.median)
        }
        return medians
    }
}

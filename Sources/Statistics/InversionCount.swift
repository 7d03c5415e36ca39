/// Inversions counted by a bottom-up merge sort, O(n log n): Kendall's discordant pairs, and the pair counts of
/// Sen's slope selection.
enum InversionCount {
    /// Sorts `values` stably by `before`; returns the number of pairs p < q with `before(values[q], values[p])`.
    @inline(__always)
    static func sort<Element>(_ values: inout [Element], by before: (Element, Element) -> Bool) -> Int {
        var buffer = values
        var inversions = 0
        var width = 1
        var inBuffer = false
        while width < values.count {
            inversions += inBuffer ? mergePass(buffer, into: &values, width: width, by: before)
                : mergePass(values, into: &buffer, width: width, by: before)
            inBuffer.toggle()
            width *= 2
        }
        if inBuffer { values = buffer }
        return inversions
    }

    /// One pass: runs of `width` merged pairwise from `source` into `target`. The source is passed by value (no
    /// copy: it is not mutated) so the loop writes only to `target`; swapping two inout arrays instead made each
    /// pass four times slower.
    @inline(__always)
    private static func mergePass<Element>(_ source: [Element], into target: inout [Element], width: Int,
                                           by before: (Element, Element) -> Bool) -> Int {
        let n = source.count
        var inversions = 0
        var low = 0
        while low < n {
            let middle = min(low + width, n), high = min(low + 2 * width, n)
            var i = low, j = middle, k = low
            while i < middle && j < high {
                let a = source[i], b = source[j]
                if before(b, a) {
                    inversions &+= middle &- i
                    target[k] = b
                    j &+= 1
                } else {
                    target[k] = a
                    i &+= 1
                }
                k &+= 1
            }
            while i < middle { target[k] = source[i]; i &+= 1; k &+= 1 }
            while j < high { target[k] = source[j]; j &+= 1; k &+= 1 }
            low = high
        }
        return inversions
    }
}

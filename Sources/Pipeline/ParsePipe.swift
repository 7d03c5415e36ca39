import Foundation
import RiverModel

/// What the parser hands to the store, in file order.
enum ParsedItem: Sendable {
    case reading(Reading)
    case rejection(Rejection)
}

/// A bounded hand-over of parsed items from a parsing thread to the thread that writes the store, so the
/// two halves of an ingest run on two cores. Items travel in chunks (one lock round per chunk, not per
/// reading); at most `capacity` chunks wait, so memory stays bounded whatever the file size.
final class ParsePipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[ParsedItem]] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private let capacity: Int

    /// Raised in the producer when the consumer has stopped.
    struct Cancelled: Error {}

    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// Producer: hands over a chunk, waiting while the consumer is `capacity` chunks behind.
    func push(_ chunk: [ParsedItem]) throws {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        chunks.append(chunk)
        condition.broadcast()
    }

    /// Producer: no more chunks; `error` when parsing failed.
    func finish(error: (any Error)? = nil) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: stops the producer (its next `push` throws).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next chunk, or nil when the producer has finished; rethrows the producer's error.
    func next() throws -> [ParsedItem]? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        if !chunks.isEmpty {
            let chunk = chunks.removeFirst()
            condition.broadcast()
            return chunk
        }
        if let failure { throw failure }
        return nil
    }
}

/// Runs `produce` on its own thread, feeding `consume` on this one through a `ParsePipe`.
///
/// `produce` gets an `emit` function; whatever it returns comes back once both sides are done. An error on
/// either side stops both and is rethrown here.
func pipelined<Result: Sendable>(chunkSize: Int = 4096,
                                 produce: @escaping @Sendable (_ emit: (ParsedItem) throws -> Void) throws -> Result,
                                 consume: (ParsedItem) throws -> Void) throws -> Result {
    let pipe = ParsePipe()
    let outcome = ProducerOutcome<Result>()
    let thread = Thread {
        var chunk: [ParsedItem] = []
        chunk.reserveCapacity(chunkSize)
        do {
            let result = try produce { item in
                chunk.append(item)
                if chunk.count >= chunkSize {
                    try pipe.push(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { try pipe.push(chunk) }
            outcome.result = result
            pipe.finish()
        } catch {
            pipe.finish(error: error)
        }
        outcome.done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    do {
        while let chunk = try pipe.next() {
            for item in chunk { try consume(item) }
        }
    } catch {
        pipe.cancel()
        outcome.done.wait()
        throw error
    }
    outcome.done.wait()
    return outcome.result!
}

/// The producer's result, written on its thread before it signals `done`.
private final class ProducerOutcome<Result>: @unchecked Sendable {
    var result: Result?
    let done = DispatchSemaphore(value: 0)
}

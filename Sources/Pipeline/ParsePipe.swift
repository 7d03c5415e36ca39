import Foundation
import RiverModel

/// A run of what the parser found, on its way to the store: the readings in file order with their series hints,
/// and the rejections in file order. (Which of a reading and a rejection came first changes nothing in the store:
/// only the order among readings decides duplicates and conflicts.)
struct ParsedChunk: Sendable {
    var readings: [Reading] = []
    /// One per reading (see `ReadingsParser.parse(file:sniff:progress:observe:onSeriesReading:onRejection:)`).
    var seriesHints: [Int] = []
    var rejections: [Rejection] = []

    init(capacity: Int = 0) {
        readings.reserveCapacity(capacity)
        seriesHints.reserveCapacity(capacity)
    }

    var count: Int { readings.count + rejections.count }
}

/// The parsing thread's end of a ``pipelined(chunkSize:produce:consume:)`` hand-over: gathers items into chunks.
final class ParsedSink {
    private let pipe: ParsePipe
    private let chunkSize: Int
    private var chunk: ParsedChunk

    fileprivate init(pipe: ParsePipe, chunkSize: Int) {
        self.pipe = pipe
        self.chunkSize = chunkSize
        chunk = ParsedChunk(capacity: chunkSize)
    }

    func reading(_ reading: Reading, seriesHint: Int) throws {
        chunk.readings.append(reading)
        chunk.seriesHints.append(seriesHint)
        if chunk.readings.count >= chunkSize { try flush() }
    }

    func rejection(_ rejection: Rejection) throws {
        chunk.rejections.append(rejection)
        if chunk.rejections.count >= chunkSize { try flush() }
    }

    fileprivate func flush() throws {
        guard chunk.count > 0 else { return }
        // A new chunk each time: the one handed over belongs to the writing thread now.
        let full = chunk
        chunk = ParsedChunk(capacity: chunkSize)
        try pipe.push(full)
    }
}

/// A bounded hand-over of parsed items from a parsing thread to the thread that writes the store, so the
/// two halves of an ingest run on two cores. Items travel in chunks (one lock round per chunk, not per
/// reading); at most `capacity` chunks wait, so memory stays bounded whatever the file size.
final class ParsePipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [ParsedChunk] = []
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
    func push(_ chunk: ParsedChunk) throws {
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
    func next() throws -> ParsedChunk? {
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

/// Runs `produce` on its own thread, feeding `consume` on this one through a `ParsePipe`, chunk by chunk.
///
/// `produce` gets the sink to hand its readings and rejections to; whatever it returns comes back once both sides
/// are done. An error on either side stops both and is rethrown here.
func pipelined<Result: Sendable>(chunkSize: Int = 4096,
                                 produce: @escaping @Sendable (_ sink: ParsedSink) throws -> Result,
                                 consume: (ParsedChunk) throws -> Void) throws -> Result {
    let pipe = ParsePipe()
    let outcome = ProducerOutcome<Result>()
    let thread = Thread {
        let sink = ParsedSink(pipe: pipe, chunkSize: chunkSize)
        do {
            let result = try produce(sink)
            try sink.flush()
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
        while let chunk = try pipe.next() { try consume(chunk) }
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

import Foundation
import RiverModel
import Statistics
import Testing
@testable import Trace
